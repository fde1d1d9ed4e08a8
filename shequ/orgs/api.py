"""/api/v1/orgs/: the org-unit tree (roots, search, a unit with its children and
counts) and staff posts (list, give, end), scoped and checked like the tree pages.

Accounts made here get no password (nothing secret ever leaves the API); the person is
given one by an administrator, as for any account made without one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shequ.orgs import access
from shequ.orgs.actions import do_assign_post, do_create_staff, do_end_post
from shequ.orgs.apiauth import IdempotencyKey, PageIn, answers, client_key, paginate
from shequ.orgs.counts import UnitCounts, counts_below
from shequ.orgs.models import Employment, OrgUnit, Post, User

router = Router()


class UnitOut(Schema):
    id: int
    name: str
    official_name: str
    kind: str
    code: str | None
    township_kind: str
    community_type: str
    depth: int
    parent_id: int | None
    children: int = Field(description="下级单位数")
    active: bool


class CountsOut(Schema):
    townships: int
    communities: int
    urban: int
    town: int
    rural: int
    villages: int
    grids: int
    staff: int


class ChildOut(UnitOut):
    counts: CountsOut


class UnitDetailOut(UnitOut):
    ancestors: list[UnitOut] = Field(description="从管辖范围顶端到上级")
    counts: CountsOut
    children_units: list[ChildOut]


class UnitPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[UnitOut]


class UnitParams(PageIn):
    q: str = Field("", max_length=100, description="名称、统计名称或统计代码前缀")
    kind: str = ""
    parent: int | None = Field(None, ge=1, le=access.MAX_PK, description="只列此单位的下级")


def _parents(units: list[OrgUnit]) -> dict[str, int]:
    paths = {u.path[: -OrgUnit.steplen] for u in units if u.depth > 1}
    return dict(OrgUnit.objects.filter(path__in=paths).values_list("path", "pk"))


def _unit(u: OrgUnit, parents: dict[str, int]) -> dict[str, Any]:
    return {
        "id": u.pk,
        "name": u.name,
        "official_name": u.official_name,
        "kind": u.kind,
        "code": u.code,
        "township_kind": u.township_kind,
        "community_type": u.community_type,
        "depth": u.depth,
        "parent_id": parents.get(u.path[: -OrgUnit.steplen]),
        "children": u.numchild,
        "active": u.is_active(),
    }


def _counts(c: UnitCounts) -> dict[str, int]:
    return {
        "townships": c.townships,
        "communities": c.communities,
        "urban": c.urban,
        "town": c.town,
        "rural": c.rural,
        "villages": c.villages,
        "grids": c.grids,
        "staff": c.staff,
    }


def _units_page(rows: Any, params: PageIn) -> dict[str, Any]:
    start = (params.page - 1) * params.page_size
    units = list(rows[start : start + params.page_size])
    parents = _parents(units)
    return {
        "count": rows.count(),
        "page": params.page,
        "page_size": params.page_size,
        "items": [_unit(u, parents) for u in units],
    }


@router.get("/units/roots", response=answers({200: list[UnitOut]}), summary="管辖范围顶端单位")
def unit_roots(request: HttpRequest) -> list[dict[str, Any]]:
    """Where the tree browser starts: the top units of the caller's scope."""
    roots = list(access.scope_roots(request.user))
    parents = _parents(roots)
    return [_unit(u, parents) for u in roots]


@router.get("/units", response=answers({200: UnitPage}), summary="单位列表与搜索")
def list_units(request: HttpRequest, params: Query[UnitParams]) -> dict[str, Any]:
    units = access.units_for_user(request.user)
    if params.parent is not None:
        parent = access.get_unit_for_user(request.user, params.parent)
        units = units.filter(path__startswith=parent.path, depth=parent.depth + 1)
    q = params.q.strip()
    if q:
        units = units.filter(
            Q(name__contains=q) | Q(official_name__contains=q) | Q(code__startswith=q)
        )
    if params.kind:
        units = units.filter(kind=params.kind)
    return _units_page(units.order_by("path", "pk"), params)


@router.get("/units/{unit_id}", response=answers({200: UnitDetailOut}), summary="单位:下级与统计")
def get_unit(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    """The unit page's figures: counts inside the unit and inside each child."""
    unit = access.get_unit_for_user(request.user, unit_id)
    children = list(unit.children().order_by("path"))
    total, per_child = counts_below(unit, children)
    ancestors = [a for a in unit.ancestors() if access.in_scope(request.user, a)]
    parents = _parents([unit, *ancestors, *children])
    return {
        **_unit(unit, parents),
        "ancestors": [_unit(a, parents) for a in ancestors],
        "counts": _counts(total),
        "children_units": [
            {**_unit(c, parents), "counts": _counts(per_child[c.pk])} for c in children
        ],
    }


# --- posts ----------------------------------------------------------------------------


class PostOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    user_id: int
    username: str
    full_name: str
    role: str
    employment: str
    civil_servant: bool
    title: str
    started_on: dt.date
    ended_on: dt.date | None
    active: bool


class PostPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PostOut]


class PostParams(PageIn):
    unit: int | None = Field(None, ge=1, le=access.MAX_PK, description="此单位及其下级")
    role: str = ""
    active: bool | None = Field(None, description="true 在岗,false 已离任")


class PostIn(Schema):
    unit_id: int = Field(ge=1, le=access.MAX_PK)
    username: str = Field(min_length=1, max_length=150)
    full_name: str = Field("", max_length=100, description="新建人员时必填")
    role: str
    employment: str = Employment.FULL_TIME
    civil_servant: bool = False
    title: str = Field("", max_length=100)
    started_on: dt.date | None = None
    client_token: str | None = Field(None, max_length=64)


class EndPostIn(Schema):
    ended_on: dt.date | None = Field(None, description="默认今天")


def _post(p: Post) -> dict[str, Any]:
    return {
        "id": p.pk,
        "unit_id": p.unit_id,
        "unit_name": p.unit.name,
        "user_id": p.user_id,
        "username": p.user.username,
        "full_name": p.user.full_name,
        "role": p.role,
        "employment": p.employment,
        "civil_servant": p.civil_servant,
        "title": p.title,
        "started_on": p.started_on,
        "ended_on": p.ended_on,
        "active": p.is_active(),
    }


@router.get("/posts", response=answers({200: PostPage}), summary="岗位列表")
def list_posts(request: HttpRequest, params: Query[PostParams]) -> dict[str, Any]:
    posts = Post.objects.filter(access.scope_q(request.user)).select_related("unit", "user")
    if params.unit is not None:
        unit = access.get_unit_for_user(request.user, params.unit)
        posts = posts.filter(unit__path__startswith=unit.path)
    if params.role:
        posts = posts.filter(role=params.role)
    if params.active is True:
        posts = posts.active()
    elif params.active is False:
        posts = posts.exclude(pk__in=Post.objects.active().values("pk"))
    return paginate(posts.order_by("unit__path", "role", "started_on", "pk"), params, _post)


@router.get("/posts/{post_id}", response=answers({200: PostOut}), summary="岗位")
def get_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
    return _post(access.get_post_for_user(request.user, post_id))


@router.post("/posts", response=answers({201: PostOut}), summary="设岗(可新建人员)")
def give_post(
    request: HttpRequest, payload: PostIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """The tree page's 设岗: an existing person by username, or a new one with
    ``full_name`` (made without a password). A retry with the same ``Idempotency-Key``
    returns the first post."""
    unit = access.get_unit_for_user(request.user, payload.unit_id)
    if not access.may_manage_posts(request.user, unit):
        return Status(403, {"detail": _("无权操作。"), "errors": {}})
    actor = access.acting_user(request)
    with transaction.atomic():
        person = User.objects.filter(username=payload.username).first()
        if person is None:
            if not payload.full_name.strip():
                return Status(
                    422,
                    {
                        "detail": _("输入有误。"),
                        "errors": {"full_name": [_("新建人员时请填写姓名。")]},
                    },
                )
            person = do_create_staff(
                actor, username=payload.username, full_name=payload.full_name.strip()
            )
        post = do_assign_post(
            actor,
            person,
            unit,
            role=payload.role,
            employment=payload.employment,
            civil_servant=payload.civil_servant,
            title=payload.title,
            started_on=payload.started_on,
            client_token=client_key(idempotency_key, payload.client_token),
        )
    return Status(201, _post(Post.objects.select_related("unit", "user").get(pk=post.pk)))


@router.post("/posts/{post_id}/end", response=answers({200: PostOut}), summary="离任")
def end_post(request: HttpRequest, post_id: int, payload: EndPostIn) -> Status[dict[str, Any]]:
    post = access.get_post_for_user(request.user, post_id)
    if not access.may_manage_posts(request.user, post.unit):
        return Status(403, {"detail": _("无权操作。"), "errors": {}})
    do_end_post(access.acting_user(request), post, ended_on=payload.ended_on)
    return Status(200, _post(Post.objects.select_related("unit", "user").get(pk=post.pk)))
