"""Masked display of personal numbers: enough to recognise, not enough to misuse."""

from __future__ import annotations

# An 18-digit ID number is region (6) + birth date (8) + order code (3) + check digit (1).
# The county settles the region and the birth date is widely known, so the mask keeps the
# province/prefecture prefix and only the last two characters: with the birth year (what
# roles without the reveal right see) about 3,300 numbers stay possible (issue 11,
# docs/people.md). Showing the last four would leave about 33.
ID_SHOWN_HEAD = 4
ID_SHOWN_TAIL = 2


def mask_id_number(number: str) -> str:
    """``422801199001010019`` → ``4228************19`` (prefecture prefix and last two).

    Applied to an older, longer mask it gives the same result (a data migration uses that).
    """
    if len(number) <= ID_SHOWN_HEAD + ID_SHOWN_TAIL + 2:
        return "*" * len(number)
    hidden = len(number) - ID_SHOWN_HEAD - ID_SHOWN_TAIL
    return number[:ID_SHOWN_HEAD] + "*" * hidden + number[-ID_SHOWN_TAIL:]


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """``邓德明`` → ``邓**``: the family name only, for public answers (the kiosk)."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)
