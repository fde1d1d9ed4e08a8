"""What a role sees of a resident, and how far that narrows the ID number (issue 11).

An 18-digit ID number is region (6) + birth date (8) + order code (3) + check digit (1).
The county settles the region; the birth date is on many papers. So what a page, an API
answer, an export, a search result or an event shows of one resident, taken together,
must leave at least ``MIN_CANDIDATES`` numbers possible for everyone who may not reveal
the number:

- the ID number masked to its first four and last two characters (``4228************19``);
- the **birth year** instead of the birth date, and no age next to it (year and age
  together give the side of today's date the birthday falls on: in December that can be
  a few days); a baby born this year is shown as under one year, not by its year;
- the gender (the order code's parity: it halves nothing the mask has not shown).

``count_candidates`` counts the numbers consistent with a ``Seen``; ``seen_in_text`` reads
a ``Seen`` out of whatever was rendered (HTML, JSON, the cells of a sheet) so tests check
the real output, and ``seen_by`` is the structured view the pages and the API follow.
The full birth date is shown only together with a revealed number, which contains it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.orgs.access import AnyUser
from shequ.people.models import Gender, Resident

MIN_CANDIDATES = 1000
ID_LENGTH = 18
# The earliest birth date anyone living can have; the latest is today.
EARLIEST_BIRTH = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class Seen:
    """What is known of one resident's ID number: ``pattern`` has 18 characters, ``*``
    where unknown; the birth date lies in ``[born_from, born_to]``; ``gender`` or ``""``."""

    pattern: str
    born_from: dt.date
    born_to: dt.date
    gender: str = ""


def birth_year(resident: Resident, today: dt.date | None = None) -> int | None:
    """The birth year shown, or ``None`` for a baby born this year: early in January its
    year says "born in the last few days". Such a baby is shown as under one year."""
    today = today or timezone.localdate()
    year = resident.birth_date.year
    return None if year >= today.year else year


def birth_label(resident: Resident, today: dt.date | None = None) -> str:
    year = birth_year(resident, today)
    if year is None:
        return _("不满1岁")
    return _("%(year)d年生") % {"year": year}


def _shown(resident: Resident, today: dt.date) -> Seen:
    year = birth_year(resident, today)
    if year is None:
        born_from = _years_before(today, 1) + dt.timedelta(days=1)
        return Seen(resident.id_number_masked, born_from, today, resident.gender)
    return Seen(
        resident.id_number_masked, dt.date(year, 1, 1), dt.date(year, 12, 31), resident.gender
    )


def seen_by(user: AnyUser, resident: Resident, today: dt.date | None = None) -> Seen | None:
    """What ``user`` is shown of ``resident`` on the pages, in search results, the API and
    a masked export (``None``: the resident is not visible to the user at all)."""
    from shequ.people.access import residents_for_user

    if not residents_for_user(user).filter(pk=resident.pk).exists():
        return None
    return _shown(resident, today or timezone.localdate())


def smallest_count(user: AnyUser, today: dt.date | None = None) -> tuple[int, int] | None:
    """The fewest candidates any resident visible to ``user`` keeps, and that resident's
    id (``None``: the user sees no resident). The region is read from the stored number:
    the worst case, an attacker who knows the county."""
    from shequ.orgs.crypto import cipher
    from shequ.people.access import residents_for_user

    today = today or timezone.localdate()
    c = cipher()
    best: tuple[int, int] | None = None
    qs = residents_for_user(user).only(
        "pk", "birth_date", "gender", "id_number_masked", "id_number_enc"
    )
    for r in qs.iterator(chunk_size=2000):
        region = c.decrypt(r.id_number_enc)[:6]
        count = count_candidates(_shown(r, today), region)
        if best is None or count < best[0]:
            best = (count, r.pk)
    return best


def _check_char(residue: int) -> str:
    value = (1 - 2 * residue) % 11
    return "X" if value == 10 else str(value)


def _residue(digits: str) -> int:
    # The check digit is computed from int(body, 13) mod 11 (ISO 7064 MOD 11-2).
    return int(digits, 13) % 11


@lru_cache(maxsize=4096)
def _tail_counts(tail: str, gender: str) -> tuple[int, ...]:
    """For each residue of the first 14 digits: how many order codes + check digits fit
    the visible tail (4 characters of ``pattern``) and the gender."""
    counts = [0] * 11
    shift = 13**3 % 11
    for seq in range(1000):
        if gender == Gender.MALE and seq % 2 == 0:
            continue
        if gender == Gender.FEMALE and seq % 2 == 1:
            continue
        code = f"{seq:03d}"
        if any(t not in ("*", c) for t, c in zip(tail[:3], code, strict=True)):
            continue
        r_seq = _residue(code)
        for p in range(11):
            if tail[3] in ("*", _check_char((p * shift + r_seq) % 11)):
                counts[p] += 1
    return tuple(counts)


@lru_cache(maxsize=65536)
def _count(region: str, born_from: dt.date, born_to: dt.date, head: str, tail: str, g: str) -> int:
    tails = _tail_counts(tail, g)
    total = 0
    day = born_from
    one = dt.timedelta(days=1)
    while day <= born_to:
        digits = f"{day:%Y%m%d}"
        if all(h in ("*", c) for h, c in zip(head, digits, strict=True)):
            total += tails[_residue(region + digits)]
        day += one
    return total


def count_candidates(seen: Seen, region_code: str) -> int:
    """How many valid ID numbers fit ``seen``, for someone who also knows the 6-digit
    region code (the worst case: the county is no secret)."""
    pattern = seen.pattern.upper()
    if len(pattern) != ID_LENGTH:
        return 10**9  # nothing usable shown
    if any(p not in ("*", c) for p, c in zip(pattern[:6], region_code, strict=True)):
        return 0
    born_from = max(seen.born_from, EARLIEST_BIRTH)
    born_to = seen.born_to
    if born_to < born_from:
        return 0
    return _count(region_code, born_from, born_to, pattern[6:14], pattern[14:], seen.gender)


# --- reading what was shown -------------------------------------------------------------

_MASK = re.compile(r"[0-9Xx*]{18}")


def _date_forms(day: dt.date) -> list[str]:
    return [
        f"{day:%Y-%m-%d}",
        f"{day:%Y%m%d}",
        f"{day:%Y/%m/%d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}-{day.month}-{day.day}",
        f"{day:%B} {day.day}, {day.year}",
        f"{day.month}/{day.day}/{day.year}",
    ]


def seen_in_text(text: str, resident: Resident, number: str, *, today: dt.date) -> Seen:
    """What ``text`` (a page, a JSON answer, a sheet's cells) gives away of ``resident``'s
    ``number``: conservative, so any mention of the birth year counts as knowing it."""
    known = ["*"] * ID_LENGTH
    for mask in _MASK.findall(text):
        mask = mask.upper()
        if all(m in ("*", c) for m, c in zip(mask, number, strict=True)):
            for i, m in enumerate(mask):
                if m != "*":
                    known[i] = m
    born = resident.birth_date
    born_from, born_to = EARLIEST_BIRTH, today
    if any(form in text for form in _date_forms(born)):
        born_from = born_to = born
    else:
        if re.search(rf"(?<!\d){born.year}(?!\d)", text):
            born_from = max(born_from, dt.date(born.year, 1, 1))
            born_to = min(born_to, dt.date(born.year, 12, 31))
        age = resident.age_on(today)
        if re.search(rf"(?<!\d){age}\s*(岁|周岁|years)", text) or re.search(
            rf'"age"\s*:\s*{age}(?!\d)', text
        ):
            # Born after today's date ``age + 1`` years ago, on or before it ``age`` years ago.
            latest = _years_before(today, age)
            earliest = _years_before(today, age + 1) + dt.timedelta(days=1)
            born_from, born_to = max(born_from, earliest), min(born_to, latest)
    return Seen("".join(known), born_from, born_to, resident.gender)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def candidates_in_text(text: str, resident: Resident, number: str, *, today: dt.date) -> int:
    return count_candidates(seen_in_text(text, resident, number, today=today), number[:6])
