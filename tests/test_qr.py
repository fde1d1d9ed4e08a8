"""The papers' QR code: a standalone SVG element the browser prints, one per address."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from shequ.lib.qr import qr_svg


def test_a_status_address_becomes_an_inline_svg_that_prints() -> None:
    url = "https://shequ.example.cn/services/cases/4228011234/status/"
    svg = qr_svg(url)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag.endswith("svg")
    assert int(root.get("width", "0")) >= 29 * 3  # version 3+ at scale 3, quiet zone kept
    assert root.find(".//{*}path") is not None or root.find(".//path") is not None
    assert qr_svg(url) == svg  # the same paper prints the same code
    assert qr_svg(url.replace("1234", "1235")) != svg
