"""Fixtures for mediation: 官坡社区's committee with its members and mediator, a
neighbour dispute reported by the grid worker, and helpers to walk it along."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from conftest import Personas, new_id_number
from shequ.mediation import actions
from shequ.mediation.actions import PartyInput
from shequ.mediation.models import Committee, Dispute, MemberRole
from shequ.orgs.models import Post, Role

NEIGHBOUR_PHONE = "13972711234"


@pytest.fixture
def committee(personas: Personas) -> Committee:
    c = actions.do_create_committee(None, unit=personas.guanpo, phone="0718-8221234")
    mediator_post = Post.objects.get(user=personas.mediator, role=Role.MEDIATOR)
    day = dt.date(2024, 3, 1)
    actions.do_add_member(
        None,
        c,
        name="田桂兰",
        gender="female",
        ethnicity="土家族",
        role=MemberRole.CHAIR,
        chosen_on=day,
        post=mediator_post,
        resolution_ref="官坡居民会议〔2024〕2号",
    )
    actions.do_add_member(None, c, name="向明", gender="male", chosen_on=day)
    actions.do_add_member(None, c, name="谭家福", gender="male", ethnicity="苗族", chosen_on=day)
    return c


@pytest.fixture
def township_committee(personas: Personas) -> Committee:
    return actions.do_create_committee(None, unit=personas.guanpo.parent_unit())  # type: ignore[arg-type]


def parties(resident: Any = None) -> list[PartyInput]:
    first = (
        PartyInput(side="applicant", resident=resident)
        if resident is not None
        else PartyInput(
            side="applicant", name="黄大山", id_number=new_id_number(), phone="13972799876"
        )
    )
    return [
        first,
        PartyInput(
            side="respondent", name="李四", id_number=new_id_number(), phone=NEIGHBOUR_PHONE
        ),
    ]


MakeDispute = Callable[..., Dispute]


@pytest.fixture
def make_dispute(personas: Personas, committee: Committee) -> MakeDispute:
    """A neighbour dispute reported by the grid worker from the grid."""

    def make(**fields: Any) -> Dispute:
        actor = fields.pop("actor", personas.grid_worker)
        fields.setdefault("unit", personas.grid)
        fields.setdefault("committee", committee)
        fields.setdefault("source", "referral")
        fields.setdefault("referrer", "grid")
        fields.setdefault("kind", "neighbour")
        fields.setdefault("summary", "两家因排水沟堵塞积水发生争执")
        fields.setdefault("parties", parties())
        return actions.do_register_dispute(actor, **fields)

    return make


@pytest.fixture
def mediating(personas: Personas, make_dispute: MakeDispute) -> Dispute:
    """A dispute accepted by the mediator, with one session held."""
    d = make_dispute()
    actions.do_accept_dispute(personas.mediator, d)
    actions.do_record_session(
        personas.mediator,
        d,
        held_at=timezone.now() - dt.timedelta(hours=1),
        place="官坡社区调解室",
        participants="黄大山、李四、调解员",
        record="双方陈述了积水情况,同意现场查看。",
    )
    return d


def agree(actor: Any, d: Dispute, **fields: Any) -> Any:
    fields.setdefault("form", "written")
    fields.setdefault("facts", "李四家排水沟堵塞致黄大山家院坝积水")
    fields.setdefault("liability", "李四负主要责任")
    fields.setdefault("terms", "李四于十日内疏通排水沟并赔偿清理费300元")
    fields.setdefault("performance_manner", "现场疏通,现金支付")
    fields.setdefault("performance_due_on", timezone.localdate() + dt.timedelta(days=10))
    return actions.do_record_agreement(actor, d, **fields)
