"""What printed papers share: the QR code to the record's status page.

segno (DESIGN.md's choice) is not in the lock files yet; until it is, the papers print
the status page's address in words instead of a QR code."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString | None:
    try:
        import segno  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    svg = segno.make(url, error="m").svg_inline(scale=3)
    return mark_safe(svg)  # noqa: S308 - segno's own SVG markup of our URL
