"""ID-number checks (shequ.lib.idcard): real published vectors and synthetic ones."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric

from shequ.lib.idcard import (
    FEMALE,
    MALE,
    MSG_CHECK_DIGIT,
    MSG_DATE,
    MSG_DATE_RANGE,
    MSG_FORMAT,
    MSG_LENGTH,
    IdNumberError,
    convert_15_to_18,
    make_id_number,
    parse_id_number,
)


@pytest.mark.parametrize(
    ("number", "birth", "gender"),
    [
        # The examples of GB 11643-1999 itself.
        ("11010519491231002X", dt.date(1949, 12, 31), FEMALE),
        ("440524188001010014", dt.date(1880, 1, 1), MALE),
        # python-stdnum's documented example.
        ("360426199101010071", dt.date(1991, 1, 1), MALE),
    ],
)
def test_it_accepts_published_vectors(number: str, birth: dt.date, gender: str) -> None:
    parsed = parse_id_number(number)
    assert parsed.number == number
    assert parsed.birth_date == birth
    assert parsed.gender == gender


def test_it_accepts_enshi_numbers_and_lower_case_x_and_spaces() -> None:
    number = make_id_number("422801", dt.date(1990, 1, 1), 1)
    assert parse_id_number(number).region_code == "422801"
    assert parse_id_number(f" {number[:6]} {number[6:14]} {number[14:]} ").number == number
    with_x = next(
        make_id_number("422802", dt.date(1985, 5, 5), s)
        for s in range(1000)
        if make_id_number("422802", dt.date(1985, 5, 5), s).endswith("X")
    )
    assert parse_id_number(with_x.lower()).number == with_x
    # Full-width digits pasted from a Chinese input method.
    full_width = number.translate({ord("0") + i: ord("０") + i for i in range(10)})
    assert parse_id_number(full_width).number == number


@pytest.mark.parametrize(
    "region",
    [
        "422101",  # 恩施市 before the 1983 renaming of 恩施地区 to 鄂西州
        "422126",  # 来凤县 under the old prefecture code
        "429001",  # a county-level code that was reassigned
        "990101",  # no such region at all: format, date and check digit still decide
    ],
)
def test_it_accepts_renamed_and_retired_region_codes(region: str) -> None:
    number = make_id_number(region, dt.date(1975, 3, 9), 123)
    assert parse_id_number(number).number == number


def test_stdnum_alone_would_refuse_an_unknown_region() -> None:
    number = make_id_number("990101", dt.date(1975, 3, 9), 123)
    with pytest.raises(Exception):  # noqa: B017 - stdnum's InvalidComponent
        ric.validate(number)


def test_it_refuses_a_bad_check_digit_and_names_the_right_one() -> None:
    number = make_id_number("422801", dt.date(1990, 1, 1), 1)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(IdNumberError) as info:
        parse_id_number(wrong)
    assert info.value.message == MSG_CHECK_DIGIT
    assert info.value.params == {"expected": number[17]}
    assert "校验位" in str(info.value)


@pytest.mark.parametrize("date_part", ["19900230", "19901301", "19900000"])
def test_it_refuses_impossible_birth_dates(date_part: str) -> None:
    body = "422801" + date_part + "001"
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(IdNumberError) as info:
        parse_id_number(number)
    assert info.value.message == MSG_DATE
    assert "出生日期" in str(info.value)


def test_it_refuses_a_birth_date_in_the_future() -> None:
    number = make_id_number("422801", dt.date(2030, 1, 1), 1)
    with pytest.raises(IdNumberError) as info:
        parse_id_number(number, today=dt.date(2026, 1, 1))
    assert info.value.message == MSG_DATE_RANGE


@pytest.mark.parametrize("number", ["42280119900101001", "4228011990010100191", "123"])
def test_it_refuses_wrong_lengths(number: str) -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number(number)
    assert info.value.message == MSG_LENGTH
    assert f"{len(number)}位" in str(info.value)


def test_it_refuses_letters_inside() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("42280119900101A019")
    assert info.value.message == MSG_FORMAT


def test_it_converts_old_15_digit_numbers() -> None:
    old = "422801900101001"  # region, YYMMDD, order code
    parsed = parse_id_number(old)
    assert parsed.converted_from_15
    assert parsed.number == convert_15_to_18(old)
    assert parsed.number.startswith("42280119900101001")
    assert parsed.birth_date == dt.date(1990, 1, 1)
    assert parsed.gender == MALE
    assert ric.calc_check_digit(parsed.number) == parsed.number[17]


def test_it_refuses_an_empty_value() -> None:
    with pytest.raises(IdNumberError):
        parse_id_number("  ")
