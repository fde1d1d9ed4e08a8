"""The State Council's yearly notice: typed in by an admin (or imported from a file),
previewed, loaded into the calendar; the banner warns admins and officers, not clerks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import Personas
from shequ.orgs import calendar
from shequ.orgs.models import CalendarDay, CalendarSource, CalendarYear, Event, User

D = dt.date
pytestmark = pytest.mark.django_db
# A notice for 2027 written in the State Council's usual pattern (the real one had not
# been published when this was written; the tests do not depend on its exact days).
NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知(测试用)
2027-01-01 休 元旦
2027-02-05~2027-02-13 休 春节
2027-02-14 班 春节调休上班
2027-02-20 班 春节调休上班
2027-04-05 休 清明节
2027-05-01~2027-05-05 休 劳动节
2027-06-09 休 端午节
2027-09-15 休 中秋节
2027-10-01~2027-10-07 休 国庆节
"""


def test_the_package_seeds_the_years_it_knows_and_no_further() -> None:
    assert calendar.known_until() == D(max(calendar.package_years()), 12, 31)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_it_parses_ranges_and_adjusted_working_days() -> None:
    days = calendar.parse_notice(2027, NOTICE_2027)
    by_date = {d.date: d for d in days}
    assert all(not by_date[D(2027, 2, n)].is_working_day for n in range(5, 14))
    assert by_date[D(2027, 2, 14)].is_working_day and by_date[D(2027, 2, 14)].note
    assert len([d for d in days if not d.is_working_day]) == 1 + 9 + 1 + 5 + 1 + 1 + 7


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2027-02-30 休 春节", "日期不存在"),
        ("2026-10-01 休 国庆节", "不在 2027 年内"),
        ("2027-02-15 班 调休", "是工作日"),
        ("明年春节放假", "格式不对"),
        ("2027-02-14 班 调休", "至少应有一个放假日"),
    ],
)
def test_it_names_each_bad_line(text: str, problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        calendar.parse_notice(2027, text)
    assert problem in " ".join(caught.value.messages)


def test_only_an_admin_imports_and_hand_edited_days_are_kept(personas: Personas) -> None:
    days = calendar.parse_notice(2027, NOTICE_2027)
    with pytest.raises(PermissionDenied):
        calendar.do_import_calendar_year(
            personas.county, year=2027, days=days, reference="国办发明电〔2026〕X号"
        )
    CalendarDay.objects.create(date=D(2027, 6, 9), is_working_day=True, note="本地调整")
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    year = calendar.do_import_calendar_year(
        admin, year=2027, days=days, reference="国办发明电〔2026〕X号"
    )
    assert year.source == CalendarSource.NOTICE
    assert calendar.known_until() == D(2027, 12, 31)
    assert CalendarDay.objects.get(date=D(2027, 6, 9)).is_working_day  # the admin's edit
    assert CalendarDay.objects.get(date=D(2027, 2, 8)).source == CalendarSource.NOTICE
    assert Event.objects.filter(verb="calendar.imported", actor=admin).exists()


def test_the_admin_previews_then_imports_the_notice(personas: Personas) -> None:
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/orgs/calendaryear/")
    assert 'id="import-notice"' in listing.text
    url = "/admin/orgs/calendaryear/import/"
    form = {"year": 2027, "reference": "国办发明电〔2026〕X号", "text": NOTICE_2027}
    preview = client.post(url, {**form, "preview": "1"})
    assert preview.status_code == 200 and 'id="notice-preview"' in preview.text
    assert 'id="notice-missing"' not in preview.text  # every usual holiday is there
    short = client.post(url, {**form, "text": "2027-02-05~2027-02-13 休 春节", "preview": "1"})
    assert 'id="notice-missing"' in short.text and "元旦" in short.text
    assert not CalendarYear.objects.filter(year=2027).exists()  # nothing saved yet
    bad = client.post(url, {**form, "text": "2027-02-30 休 春节", "import": "1"})
    assert bad.status_code == 200 and "日期不存在" in bad.text
    done = client.post(url, {**form, "import": "1"})
    assert done.status_code == 302
    assert CalendarYear.objects.get(year=2027).reference == "国办发明电〔2026〕X号"
    assert not calendar.calendar_warning(D(2026, 12, 2))
    officer = personas.client(personas.county)
    assert officer.get(url).status_code == 302  # to the admin login: not for officers


def test_the_command_imports_a_file(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_calendar", "2027", str(path), reference="国办发明电〔2026〕X号", stdout=out
    )
    assert "known until 2027-12-31" in out.getvalue()
    path.write_text("2027-13-01 休 x", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_calendar", "2027", str(path), reference="x")


def test_the_banner_warns_admins_and_officers_not_clerks(personas: Personas) -> None:
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)):
        for user, warned in (
            (admin, True),
            (personas.township, True),
            (personas.prefecture, True),
            (personas.clerk, False),
            (personas.director, False),
        ):
            page = personas.client(user).get("/workbench/")  # signed in at the travelled time
            assert ('id="calendar-warning"' in page.text) is warned, user
        assert "导入通知" in personas.client(admin).get("/workbench/").text
        english = personas.client(personas.county)
        english.cookies["django_language"] = "en"
        banner = english.get("/workbench/").text
        assert "known only until 2026-12-31" in banner and "只维护到" not in banner
    with time_machine.travel(dt.datetime(2026, 6, 2, 10, tzinfo=dt.UTC)):
        assert (
            'id="calendar-warning"' not in personas.client(personas.county).get("/workbench/").text
        )
