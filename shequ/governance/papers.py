"""What printed papers share: the QR code to the record's status page."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from shequ.lib.qr import qr_svg as _qr_svg


def qr_svg(url: str) -> SafeString | None:
    return mark_safe(_qr_svg(url))  # noqa: S308 - segno's own SVG markup of our URL
