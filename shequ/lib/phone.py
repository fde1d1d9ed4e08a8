"""Mainland mobile numbers: normalised to 11 digits."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_NOISE = re.compile(r"[\s\-()（）]+")

MSG_MOBILE = "手机号应为11位数字,以1开头(如 13812345678)。"


def normalise_mobile(raw: str) -> str:
    """``+86 138-1234-5678`` → ``13812345678``; ValueError(MSG_MOBILE) if not a mobile."""
    table = {ord("０") + i: ord("0") + i for i in range(10)}
    number = _NOISE.sub("", (raw or "").translate(table))
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
    if not _MOBILE.match(number):
        raise ValueError(MSG_MOBILE)
    return number
