"""Helpers that turn a value into what is stored."""

from __future__ import annotations

from dataclasses import dataclass

from shequ.lib.crypto import FieldCipher
from shequ.lib.masking import mask_id_number, mask_phone
from shequ.orgs.crypto import cipher

__all__ = ["cipher", "id_number_index", "phone_index", "protect_id_number", "protect_phone"]

ID_PURPOSE = "resident.id_number"
PHONE_PURPOSE = "resident.phone"


@dataclass(frozen=True)
class Protected:
    enc: str
    index: str
    masked: str


def protect_id_number(number: str, c: FieldCipher | None = None) -> Protected:
    c = c or cipher()
    return Protected(
        c.encrypt(number), c.blind_index(number, purpose=ID_PURPOSE), mask_id_number(number)
    )


def protect_phone(phone: str, c: FieldCipher | None = None) -> Protected:
    if not phone:
        return Protected("", "", "")
    c = c or cipher()
    return Protected(
        c.encrypt(phone), c.blind_index(phone, purpose=PHONE_PURPOSE), mask_phone(phone)
    )


def id_number_index(number: str) -> str:
    return cipher().blind_index(number, purpose=ID_PURPOSE)


def phone_index(phone: str) -> str:
    return cipher().blind_index(phone, purpose=PHONE_PURPOSE)
