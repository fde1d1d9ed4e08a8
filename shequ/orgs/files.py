"""Serving a stored upload (a scan, evidence, a photo) to a user the caller has already
let see its record: every app's file views end here.

The type comes from the file's own first bytes, not its stored name; a PDF or image
opens in the browser, anything else is only ever downloaded; ``nosniff`` keeps a browser
from guessing otherwise, and nothing is cached outside the user's browser.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404

# What the upload checks accept, told by the first bytes: (magic, content type, suffix).
SHOWN_TYPES = ((b"%PDF", "application/pdf", "pdf"), (b"\xff\xd8\xff", "image/jpeg", "jpg"),
               (b"\x89PNG", "image/png", "png"))  # fmt: skip


def serve_upload(stored: Any, stem: str) -> FileResponse:
    """``stored`` is a FieldFile (empty or missing: 404); ``stem`` names the download."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except OSError:  # FileNotFoundError included
        raise Http404 from None
    head = handle.read(8)
    handle.seek(0)
    content_type, ext, disposition = "application/octet-stream", "bin", "attachment"
    for magic, shown, suffix in SHOWN_TYPES:
        if head.startswith(magic):
            content_type, ext, disposition = shown, suffix, "inline"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{stem}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
