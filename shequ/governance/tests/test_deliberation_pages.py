"""The pages: a resident proposes on the portal and sees the decline reason; staff take
the steps on the topic's page; the resident supports once, comments, follows the result
with its photo and reads the messages sent to them; another resident does not see a
topic not yet accepted; the overview counts results on time and overdue, and exports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from conftest import Personas
from shequ.governance import deliberation_actions as da
from shequ.governance.models import Topic, TopicStatus
from shequ.governance.tests.deliberation_helpers import DAY, PNG, agreed

pytestmark = pytest.mark.django_db
RESIDENT_PHONE = "13972700019"


def sign_in_client(phone: str) -> Client:
    """A resident signed in on the portal (the demo code the session holds) who agreed
    to the privacy notice. Over HTTP only: governance does not import the portal."""
    c = Client(REMOTE_ADDR="10.1.2.3")
    assert c.post("/signin/", {"phone": phone}).status_code == 302
    assert c.post("/signin/code/", {"code": c.session["portal_demo_code"]}).status_code == 302
    assert c.post("/privacy/", {"agree": "on"}).status_code == 302
    return c


@pytest.fixture(autouse=True)
def _settings(settings: Any, tmp_path: Any) -> None:
    settings.SHEQU_PORTAL_DEMO_CODES = True
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_resident_proposes_and_sees_the_reason_it_was_declined(personas: Personas) -> None:
    personas.resident  # noqa: B018 - registered with the phone the resident signs in with
    c = sign_in_client(RESIDENT_PHONE)
    r = c.post(
        "/topics/new/",
        {"title": "健身器材维修", "description": "小广场器材坏了", "concerned": "晨练居民",
         "client_token": "t-1"},
    )  # fmt: skip
    assert r.status_code == 302
    topic = Topic.objects.get()
    assert topic.unit == personas.guanpo and topic.contact_masked == "139****0019"
    # a retry creates nothing new
    c.post("/topics/new/", {"title": "健身器材维修", "description": "x", "concerned": "y",
                            "client_token": "t-1"})  # fmt: skip
    assert Topic.objects.count() == 1
    other = sign_in_client("13700000009")
    assert other.get(f"/topics/{topic.pk}/").status_code == 404
    staff = personas.client(personas.director)
    r = staff.post(topic.get_absolute_url(), {"step": "decline", "reason": "已列入街道改造计划"})
    assert r.status_code == 302
    page = c.get(f"/topics/{topic.pk}/").content.decode()
    assert "已列入街道改造计划" in page and 'id="my-messages"' in page


def test_staff_take_the_steps_and_the_resident_follows_the_result(personas: Personas) -> None:
    topic = agreed(personas.director, personas.guanpo)
    staff = personas.client(personas.director)
    url = topic.get_absolute_url()
    assert staff.get(url).status_code == 200
    assert personas.client(personas.lichuan_clerk).get(url).status_code == 404
    r = staff.post(url, {"step": "result", "title": "划线施工", "responsible": "居委会",
                         "due_on": "2026-04-30", "client_token": "r-1"})  # fmt: skip
    assert r.status_code == 302
    staff.post(url, {"step": "implement"})
    result = topic.results.get()
    photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    r = staff.post(url, {"step": "milestone", "result": result.pk, "m-happened_on": "2026-04-20",
                         "m-progress": "100", "m-text": "全部划线完成", "m-photo": photo,
                         "m-client_token": "m-1"})  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    result.refresh_from_db()
    assert result.progress == 100
    milestone = result.milestones.get()
    assert (
        staff.get(f"/governance/deliberation/milestones/{milestone.pk}/photo/")["Content-Type"]
        == "image/png"
    )
    # the resident's page (the helper's topic is public once accepted)
    anyone = sign_in_client("13700000009")
    page = anyone.get(f"/topics/{topic.pk}/").content.decode()
    assert "全部划线完成" in page and "100%" in page
    assert anyone.get(f"/topics/photos/{milestone.pk}/").status_code == 200
    anyone.post(f"/topics/{topic.pk}/support/")
    anyone.post(f"/topics/{topic.pk}/support/")
    assert topic.supports.count() == 1
    anyone.post(f"/topics/{topic.pk}/comment/", {"text": "干得好", "client_token": "c-1"})
    comment = topic.comments.get()
    staff.post(url, {"step": "hide", "comment": comment.pk, "reason": "测试隐藏"})
    assert "干得好" not in anyone.get(f"/topics/{topic.pk}/").content.decode()
    assert "测试隐藏" in staff.get(url).content.decode()


def test_the_overview_counts_results_on_time_and_overdue_and_exports(
    personas: Personas,
) -> None:
    topic = agreed(personas.director, personas.guanpo)
    da.do_start_implementation(personas.director, topic)
    done = da.do_add_result(personas.director, topic, title="a", responsible="b", due_on=DAY)
    da.do_record_milestone(personas.director, done, happened_on=DAY, text="x", progress=100)
    da.do_add_result(
        personas.director, topic, title="c", responsible="d", due_on=dt.date(2026, 4, 1)
    )
    c = personas.client(personas.township)
    page = c.get("/governance/deliberation/overview/?year=2026").content.decode()
    assert personas.guanpo.name in page
    r = c.get("/governance/deliberation/overview/?year=2026&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    row = next(x for x in rows if x[1] == personas.guanpo.name)
    assert row[8:12] == (2, 1, 0, 1)  # two results: one on time, one overdue today
    assert topic.status == TopicStatus.IMPLEMENTING
