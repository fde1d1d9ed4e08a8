"""QR codes for printed papers: a record's status page as inline SVG (segno, pure Python).

Every paper a resident or a court keeps carries one (DESIGN.md, rule 9); the address is
printed beside it as well, for a reader without a phone.
"""

from __future__ import annotations

import segno


def qr_svg(url: str, *, scale: int = 3) -> str:
    """The QR code of ``url`` as an ``<svg>`` element (error correction M, quiet zone kept)."""
    return str(segno.make(url, error="m", micro=False).svg_inline(scale=scale, omitsize=False))
