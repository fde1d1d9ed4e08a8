"""Masked display of personal numbers: enough to recognise, not enough to misuse."""

from __future__ import annotations


def mask_id_number(number: str) -> str:
    """``422801199001010019`` → ``4228**********0019`` (region prefix and last four)."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
