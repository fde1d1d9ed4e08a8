"""The disclosure forms' date inputs carry ISO dates (``type="date"`` shows nothing for
``2026/12/04``, the Chinese locale's format, and the browser then refuses to submit a
required field it shows empty)."""

from __future__ import annotations

import re

from django.utils import translation

from shequ.governance import disclosure_forms


def test_every_date_input_renders_an_iso_value() -> None:
    with translation.override("zh-hans"):
        for name in dir(disclosure_forms):
            form_class = getattr(disclosure_forms, name)
            if not (isinstance(form_class, type) and hasattr(form_class, "base_fields")):
                continue
            try:
                html = str(form_class())
            except TypeError:  # a form that needs arguments
                continue
            for value in re.findall(r'type="date"[^>]*value="([^"]*)"', html):
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (name, value)
