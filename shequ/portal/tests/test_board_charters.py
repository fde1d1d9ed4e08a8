"""The board shows the community's charter and convention drafts open for public comment
(governance's ``charters_in_comment``), each linking to a page where the draft is read;
another community's drafts are not on it."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.test import Client

from conftest import WUYANG_STREET, MakeResident, Personas, unit
from shequ.governance.actions import do_draft_charter, do_open_comment
from shequ.people.models import Resident
from shequ.portal.tests.conftest import SignIn
from shequ.portal.tests.test_requests import MINE, OTHER

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]+")


@time_machine.travel(dt.datetime(2026, 5, 6, 2, tzinfo=dt.UTC))
def test_a_draft_in_comment_shows_on_its_community_board_only(
    sign_in: SignIn, resident: Resident, personas: Personas, make_resident: MakeResident
) -> None:
    convention = do_draft_charter(
        None, unit=personas.guanpo, kind="convention", title="官坡社区居民公约(修订草案)",
        text="第一条 爱护公共环境。\n第二条 邻里互助。",
    )  # fmt: skip
    do_open_comment(None, convention, comment_from=dt.date(2026, 5, 1),
                    comment_to=dt.date(2026, 5, 20))  # fmt: skip
    do_draft_charter(
        None,
        unit=personas.guanpo,
        kind="charter",
        title="官坡社区居民自治章程",
        text="尚未公开的草案",
    )  # fmt: skip  (a draft not yet in comment)
    neighbour = unit(WUYANG_STREET)
    theirs = do_draft_charter(None, unit=neighbour, kind="convention", title="舞阳大街社区居民公约",
                              text="第一条")  # fmt: skip
    do_open_comment(None, theirs, comment_from=dt.date(2026, 5, 1),
                    comment_to=dt.date(2026, 5, 20))  # fmt: skip

    mine = sign_in(MINE).get("/board/").content.decode()
    assert "官坡社区居民公约(修订草案)" in mine and "征求意见至 2026-05-20" in mine
    assert "官坡社区居民自治章程" not in mine  # still a draft, not open for comment
    assert "舞阳大街社区居民公约" not in mine
    url = f"/board/{personas.guanpo.pk}/charters/{convention.pk}/"
    assert f'href="{url}"' in mine

    page = Client().get(url)  # a public draft: anyone may read it
    assert page.status_code == 200
    body = page.content.decode()
    assert "第二条 邻里互助。" in body and "2026-05-20" in body
    english = Client()
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = english.get(url).content.decode()
    for data in ("官坡社区居民公约(修订草案)", "第一条 爱护公共环境。", "第二条 邻里互助。",
                 "官坡社区", "中文"):  # fmt: skip
        text = text.replace(data, "")  # the data, and the switch naming Chinese in Chinese
    assert "Comment period" in text and not CJK.findall(text), CJK.findall(text)

    make_resident(neighbour, name="李四", phone=OTHER)
    other = sign_in(OTHER, client=Client(REMOTE_ADDR="10.7.7.7")).get("/board/").content.decode()
    assert "舞阳大街社区居民公约" in other and "官坡社区居民公约" not in other
    # a version read through another community's board, or one not in comment, is 404
    assert Client().get(f"/board/{neighbour.pk}/charters/{convention.pk}/").status_code == 404
    with time_machine.travel(dt.datetime(2026, 5, 21, 2, tzinfo=dt.UTC)):
        assert Client().get(url).status_code == 404  # the comment period is over
        assert (
            "官坡社区居民公约"
            not in Client().get(f"/board/?community={personas.guanpo.pk}").content.decode()
        )
