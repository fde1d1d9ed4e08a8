"""Resident ID numbers (居民身份证号, GB 11643-1999), checked with python-stdnum.

We check length, format, birth date and check digit with ``stdnum.cn.ric`` but never its
birth-place lookup: region codes are renamed and retired (恩施 was 4221xx before 1983),
and a person keeps the number issued to them, so an unknown region code is no reason to
refuse a number. Old 15-digit numbers are converted to 18 digits.

Messages are Chinese because they reach clerks as they are; callers translate them
with ``gettext`` (the strings are marked with ``gettext_noop``-style constants).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

MALE = "male"
FEMALE = "female"

MSG_EMPTY = "请填写身份证号。"
MSG_LENGTH = "身份证号应为18位(旧15位号码也可以),当前为%(length)d位。"
MSG_FORMAT = "身份证号前17位只能是数字,最后一位是数字或X。"
MSG_FORMAT_15 = "15位旧身份证号只能由数字组成。"
MSG_CHECK_DIGIT = "身份证号校验位不正确,请逐位核对(最后一位应为 %(expected)s)。"
MSG_DATE = "身份证号中的出生日期 %(value)s 不存在。"
MSG_DATE_RANGE = "身份证号中的出生日期 %(value)s 不合理(早于1850年或晚于今天)。"

_SEPARATORS = re.compile(r"[\s\-]+")
# Early enough for the standard's own example (1880); nobody alive was born before.
EARLIEST_BIRTH = dt.date(1850, 1, 1)


class IdNumberError(ValueError):
    """An ID number that cannot be accepted; ``message % params`` is for people."""

    def __init__(self, message: str, params: dict[str, object] | None = None) -> None:
        self.message = message
        self.params = params or {}
        super().__init__(message % self.params if self.params else message)


@dataclass(frozen=True)
class IdNumber:
    number: str  # 18 characters, upper-case X
    birth_date: dt.date
    gender: str  # MALE or FEMALE
    region_code: str
    converted_from_15: bool = False


def _normalise(raw: str) -> str:
    # Full-width digits and letters come in from Chinese input methods and Excel.
    table = {ord("０") + i: ord("0") + i for i in range(10)}
    table[ord("Ｘ")] = ord("X")
    table[ord("ｘ")] = ord("X")
    return _SEPARATORS.sub("", raw.translate(table)).upper()


def convert_15_to_18(number: str) -> str:
    """An old 15-digit number as 18 digits: '19' before the year, then a check digit."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Check ``raw`` and return the number with what it says; raise IdNumberError."""
    number = _normalise(raw or "")
    if not number:
        raise IdNumberError(MSG_EMPTY)
    converted = False
    if len(number) == 15:
        if not number.isdigit():
            raise IdNumberError(MSG_FORMAT_15)
        number = convert_15_to_18(number)
        converted = True
    if len(number) != 18:
        raise IdNumberError(MSG_LENGTH, {"length": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError(MSG_FORMAT)
    date_text = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    try:
        birth = ric.get_birth_date(number)
    except (InvalidComponent, ValueError):
        raise IdNumberError(MSG_DATE, {"value": date_text}) from None
    if birth < EARLIEST_BIRTH or birth > (today or dt.date.today()):  # noqa: DTZ011
        raise IdNumberError(MSG_DATE_RANGE, {"value": date_text})
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise IdNumberError(MSG_CHECK_DIGIT, {"expected": expected})
    return IdNumber(
        number=number,
        birth_date=birth,
        gender=MALE if int(number[16]) % 2 else FEMALE,
        region_code=number[:6],
        converted_from_15=converted,
    )


def make_id_number(region_code: str, birth: dt.date, sequence: int) -> str:
    """A synthetic, valid 18-digit number (for demo data and tests).

    ``sequence`` is the three-digit order code: odd for men, even for women.
    """
    body = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
