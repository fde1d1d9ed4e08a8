"""Checking what a clerk typed (or a spreadsheet row holds) about a resident.

Shared by the actions, the forms and the importer, so a rule is written once. Raises
``ValidationError`` with Chinese messages per field; touches no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from shequ.lib.idcard import (
    MSG_CHECK_DIGIT,
    MSG_DATE,
    MSG_DATE_RANGE,
    IdNumberError,
    parse_id_number,
)
from shequ.lib.phone import MSG_MOBILE, normalise_mobile
from shequ.people.models import ETHNICITIES, Gender, RegistrationType

GENDER_WORDS = {
    "男": Gender.MALE,
    "女": Gender.FEMALE,
    "male": Gender.MALE,
    "female": Gender.FEMALE,
    "m": Gender.MALE,
    "f": Gender.FEMALE,
}
REGISTRATION_WORDS = {
    "户籍": RegistrationType.REGISTERED,
    "常住": RegistrationType.RESIDENT,
    "流动": RegistrationType.FLOATING,
    **{value: value for value in RegistrationType.values},
}


@dataclass(frozen=True)
class CleanResident:
    name: str
    name_initials: str
    id_number: str
    gender: str
    birth_date: dt.date
    ethnicity: str
    phone: str
    address: str
    registration_type: str


# Surnames read differently from the character's common reading (覃 is Qín in Enshi).
SURNAME_INITIALS = {
    "覃": "q", "单": "s", "解": "x", "仇": "q", "区": "o", "朴": "p", "查": "z", "曾": "z",
    "盖": "g", "缪": "m", "乐": "y", "召": "s", "尉": "y", "繁": "p", "员": "y",
}  # fmt: skip


@lru_cache(maxsize=65536)  # names repeat; an import of 100,000 rows asks for many twice
def initials(name: str) -> str:
    """Pinyin initials for search: 张三丰 → ``zsf``, 覃春兰 → ``qcl``; other letters kept."""
    compact = name.replace(" ", "")
    parts = lazy_pinyin(compact, style=Style.FIRST_LETTER)
    if compact and compact[0] in SURNAME_INITIALS and parts:
        parts[0] = SURNAME_INITIALS[compact[0]]
    return "".join(p[:1] for p in parts).lower()[:50]


def id_error_message(error: IdNumberError, *, quote_number: bool = True) -> str:
    """The message for people; without ``quote_number``, nothing read off the number (its
    birth date, the check digit it should have): for lists others read later."""
    if not quote_number and error.message in _QUOTING:
        return _QUOTING[error.message]()
    message = _(error.message)
    return message % error.params if error.params else message


# The lib's messages that quote part of the number, and what a stored list says instead.
_QUOTING = {
    MSG_CHECK_DIGIT: lambda: _("身份证号校验位不正确,请逐位核对。"),
    MSG_DATE: lambda: _("身份证号中的出生日期不存在,请逐位核对。"),
    MSG_DATE_RANGE: lambda: _("身份证号中的出生日期不合理(早于1850年或晚于今天)。"),
}


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(text)


def clean_resident(
    *,
    name: Any,
    id_number: Any,
    gender: Any = None,
    birth_date: Any = None,
    ethnicity: Any = None,
    phone: Any = None,
    address: Any = None,
    registration_type: Any = None,
    today: dt.date | None = None,
    quote_number: bool = True,
) -> CleanResident:
    """All fields checked at once; a ``ValidationError`` lists every field that is wrong.

    The messages may quote what the ID number says (its birth date) to the person who
    typed it. ``quote_number=False`` leaves that out, for messages kept and read by
    others (the import's error list): beside the masked number, the birth date would
    narrow it down (``people.masking``)."""
    errors: dict[str, list[str]] = {}
    name_text = " ".join(str(name or "").split())
    if not name_text:
        errors.setdefault("name", []).append(_("请填写姓名。"))
    elif len(name_text) > 50:
        errors.setdefault("name", []).append(_("姓名不能超过50个字。"))

    parsed = None
    try:
        parsed = parse_id_number(str(id_number or ""), today=today or timezone.localdate())
    except IdNumberError as error:
        errors.setdefault("id_number", []).append(
            id_error_message(error, quote_number=quote_number)
        )

    gender_value = ""
    if gender not in (None, ""):
        gender_value = GENDER_WORDS.get(str(gender).strip().lower(), "")
        if not gender_value:
            errors.setdefault("gender", []).append(_("性别只能填写“男”或“女”。"))
    if parsed and gender_value and gender_value != parsed.gender:
        errors.setdefault("gender", []).append(
            _("性别与身份证号不符:按身份证号应为“%(expected)s”。")
            % {"expected": Gender(parsed.gender).label}
        )

    birth_value = None
    try:
        birth_value = _date(birth_date)
    except ValueError:
        errors.setdefault("birth_date", []).append(_("出生日期格式不正确,请写成 1980-01-31。"))
    if parsed and birth_value and birth_value != parsed.birth_date:
        errors.setdefault("birth_date", []).append(
            _("出生日期与身份证号不符:按身份证号应为 %(expected)s。")
            % {"expected": parsed.birth_date.isoformat()}
            if quote_number
            else _("出生日期与身份证号中的出生日期不符,请核对。")
        )

    ethnicity_text = str(ethnicity or "").strip() or "汉族"
    if not ethnicity_text.endswith("族") and ethnicity_text + "族" in ETHNICITIES:
        ethnicity_text += "族"
    if ethnicity_text not in ETHNICITIES:
        errors.setdefault("ethnicity", []).append(
            _("民族“%(value)s”不在56个民族名称中(如 汉族、土家族、苗族)。")
            % {"value": ethnicity_text}
        )

    phone_text = ""
    if phone not in (None, ""):
        raw_phone = str(phone)
        if isinstance(phone, float):  # Excel turns long numbers into floats
            raw_phone = f"{phone:.0f}"
        try:
            phone_text = normalise_mobile(raw_phone)
        except ValueError:
            errors.setdefault("phone", []).append(_(MSG_MOBILE))

    address_text = " ".join(str(address or "").split())
    if len(address_text) > 200:
        errors.setdefault("address", []).append(_("住址不能超过200个字。"))

    registration = RegistrationType.REGISTERED.value
    if registration_type not in (None, ""):
        registration = REGISTRATION_WORDS.get(str(registration_type).strip(), "")
        if not registration:
            errors.setdefault("registration_type", []).append(
                _("户籍类型只能是“户籍”“常住”或“流动”。")
            )

    if errors or parsed is None:
        raise ValidationError(errors)
    return CleanResident(
        name=name_text,
        name_initials=initials(name_text),
        id_number=parsed.number,
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        ethnicity=ethnicity_text,
        phone=phone_text,
        address=address_text,
        registration_type=registration,
    )
