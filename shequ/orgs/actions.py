"""State changes of the org tree and of posts. Each is one transaction with an event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.lib import apikeys
from shequ.orgs import access, tokencache
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import require
from shequ.orgs.models import (
    ALLOWED_CHILD_KINDS,
    ROLE_UNIT_KINDS,
    ApiToken,
    CommunityType,
    Employment,
    OrgUnit,
    Post,
    Role,
    UnitKind,
    User,
)
from shequ.orgs.verbs import OrgVerb


@transaction.atomic
def do_create_unit(
    actor: User | None,
    parent: OrgUnit,
    *,
    name: str,
    kind: str,
    code: str | None = None,
    community_type: str = "",
    township_kind: str = "",
    official_name: str = "",
    active_from: dt.date | None = None,
) -> OrgUnit:
    # Grids are drawn by the community itself; larger units by the county or prefecture.
    roles = access.MANAGE_POST_ROLES if kind == UnitKind.GRID else access.MANAGE_UNIT_ROLES
    require(actor, roles, parent)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写单位名称。")})
    if kind not in ALLOWED_CHILD_KINDS[parent.kind]:
        raise ValidationError(
            {
                "kind": _("%(parent)s下不能设立%(kind)s。")
                % {"parent": parent.get_kind_display(), "kind": UnitKind(kind).label}
            }
        )
    if kind == UnitKind.COMMUNITY and community_type not in CommunityType.values:
        raise ValidationError({"community_type": _("请选择社区类型(城市、集镇或农村)。")})
    if kind != UnitKind.COMMUNITY:
        community_type = ""
    if code is not None and OrgUnit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("统计代码 %(code)s 已被使用。") % {"code": code}})
    parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    unit: OrgUnit = OrgUnit.objects.add_child(
        parent,
        create_kwargs={
            "name": name,
            "kind": kind,
            "code": code,
            "community_type": community_type,
            "township_kind": township_kind,
            "official_name": official_name,
            "active_from": active_from,
        },
    )
    record_event(actor, OrgVerb.UNIT_CREATED, unit, unit=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def do_retire_unit(
    actor: User | None,
    unit: OrgUnit,
    *,
    on: dt.date,
    successor: OrgUnit | None = None,
) -> OrgUnit:
    """End a unit's active period, e.g. when it is merged into ``successor``."""
    require(actor, access.MANAGE_UNIT_ROLES, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.active_to is not None:
        raise ValidationError(
            {"active_to": _("该单位已于 %(day)s 停用。") % {"day": unit.active_to}}
        )
    if unit.active_from is not None and on < unit.active_from:
        raise ValidationError({"active_to": _("停用日期不能早于启用日期。")})
    if successor is not None and (successor.pk == unit.pk or unit.contains(successor)):
        raise ValidationError({"successor": _("不能合并到自身或其下级单位。")})
    before = snapshot(unit, ["active_to", "successor"])
    unit.active_to = on
    unit.successor = successor
    unit.save(update_fields=["active_to", "successor"])
    record_event(
        actor,
        OrgVerb.UNIT_RETIRED,
        unit,
        unit=unit,
        before=before,
        after=snapshot(unit, ["active_to", "successor"]),
    )
    tokencache.forget()
    return unit


@transaction.atomic
def do_group_villages(
    actor: User | None,
    township: OrgUnit,
    *,
    name: str,
    villages: list[OrgUnit],
    on: dt.date,
) -> OrgUnit:
    """Form a "多村一社区" rural community from villages of one township.

    Each village moves under the new community; a community left with no village is
    retired on ``on`` with the new community as its successor. Grids stay where they are.
    """
    require(actor, access.MANAGE_UNIT_ROLES, township)
    if township.kind != UnitKind.TOWNSHIP:
        raise ValidationError({"township": _("只能在乡镇街道下组建农村社区。")})
    if len(villages) < 2:
        raise ValidationError({"villages": _("多村一社区至少需要两个村。")})
    for village in villages:
        if village.kind != UnitKind.VILLAGE or not township.contains(village):
            raise ValidationError(
                {"villages": _("%(name)s 不是本乡镇的村。") % {"name": village.name}}
            )
    community = do_create_unit(
        actor,
        township,
        name=name,
        kind=UnitKind.COMMUNITY,
        community_type=CommunityType.RURAL,
        active_from=on,
    )
    for village in villages:
        village = OrgUnit.objects.get(pk=village.pk)  # paths shift as nodes move
        old_parent = village.parent_unit()
        if old_parent is None:
            raise ValidationError({"villages": _("村必须隶属于社区。")})
        OrgUnit.objects.move(village, OrgUnit.objects.get(pk=community.pk), pos="last-child")
        record_event(
            actor,
            OrgVerb.UNIT_MOVED,
            village,
            unit=village,
            before={"parent": old_parent.pk},
            after={"parent": community.pk},
        )
        old_parent = OrgUnit.objects.get(pk=old_parent.pk)
        if not old_parent.children().filter(kind=UnitKind.VILLAGE).exists():
            do_retire_unit(actor, old_parent, on=on, successor=community)
    tokencache.forget()  # the posts' units have moved: their paths changed
    return OrgUnit.objects.get(pk=community.pk)


@transaction.atomic
def do_create_staff(
    actor: User | None,
    *,
    username: str,
    full_name: str,
    password: str | None = None,
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名 %(name)s 已存在。") % {"name": username}})
    user = User(username=username, full_name=full_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record_event(actor, OrgVerb.STAFF_CREATED, user, unit=None, after=snapshot(user))
    return user


@transaction.atomic
def do_assign_post(
    actor: User | None,
    user: User,
    unit: OrgUnit,
    *,
    role: str,
    employment: str = Employment.FULL_TIME,
    civil_servant: bool = False,
    title: str = "",
    started_on: dt.date | None = None,
    client_token: str | None = None,
) -> Post:
    require(actor, access.MANAGE_POST_ROLES, unit)
    client_token = (client_token or "").strip() or None
    if client_token is not None:
        first = Post.objects.filter(client_token=client_token).first()
        if first is not None:
            return first
    if role not in Role.values:
        raise ValidationError({"role": _("未知岗位。")})
    if unit.kind not in ROLE_UNIT_KINDS[role]:
        allowed = "、".join(str(UnitKind(k).label) for k in sorted(ROLE_UNIT_KINDS[role]))
        raise ValidationError(
            {
                "unit": _("%(role)s岗位只能设在:%(kinds)s。")
                % {"role": Role(role).label, "kinds": allowed}
            }
        )
    if employment not in Employment.values:
        raise ValidationError({"employment": _("请选择专职或兼职。")})
    if not unit.is_active():
        raise ValidationError({"unit": _("该单位已停用,不能设岗。")})
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise posts per person
    if Post.objects.filter(user=user, unit=unit, role=role, ended_on__isnull=True).exists():
        raise ValidationError({"role": _("此人已在该单位担任此岗位。")})
    post = Post.objects.create(
        user=user,
        unit=unit,
        role=role,
        employment=employment,
        civil_servant=civil_servant,
        title=title,
        started_on=started_on or timezone.localdate(),
        client_token=client_token,
    )
    record_event(actor, OrgVerb.POST_ASSIGNED, post, unit=unit, after=snapshot(post))
    tokencache.forget()
    return post


@transaction.atomic
def do_end_post(actor: User | None, post: Post, *, ended_on: dt.date | None = None) -> Post:
    require(actor, access.MANAGE_POST_ROLES, post.unit)
    post = Post.objects.select_for_update().select_related("unit").get(pk=post.pk)
    day = ended_on or timezone.localdate()
    if post.ended_on is not None:
        raise ValidationError({"ended_on": _("该岗位已于 %(day)s 离任。") % {"day": post.ended_on}})
    if day < post.started_on:
        raise ValidationError({"ended_on": _("离任日期不能早于任职日期。")})
    post.ended_on = day
    post.save(update_fields=["ended_on"])
    record_event(
        actor,
        OrgVerb.POST_ENDED,
        post,
        unit=post.unit,
        before={"ended_on": None},
        after={"ended_on": day},
    )
    tokencache.forget()
    return post


# --- personal API tokens --------------------------------------------------------------

MAX_ACTIVE_API_TOKENS = 10


@transaction.atomic
def do_create_api_token(
    actor: User, *, name: str, client_token: str | None = None
) -> tuple[ApiToken, str | None]:
    """Make a token for the actor itself. Returns the row and the secret, which is shown
    once and never stored; a retried submission returns the first row and no secret."""
    client_token = (client_token or "").strip() or None
    if client_token is not None:
        first = ApiToken.objects.filter(client_token=client_token, user=actor).first()
        if first is not None:
            return first, None
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称。")})
    User.objects.select_for_update().filter(pk=actor.pk).first()  # serialise per person
    if (
        ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count()
        >= MAX_ACTIVE_API_TOKENS
    ):
        raise ValidationError(
            {"name": _("有效令牌最多 %(n)d 个,请先吊销不用的令牌。") % {"n": MAX_ACTIVE_API_TOKENS}}
        )
    secret, prefix, secret_hash = apikeys.new_secret("shq")
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, secret_hash=secret_hash, client_token=client_token
    )
    record_event(
        actor, OrgVerb.API_TOKEN_CREATED, token, unit=None, after=snapshot(token, _TOKEN_FIELDS)
    )
    return token, secret


@transaction.atomic
def do_revoke_api_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token; its owner does this, or a superuser (e.g. when a laptop is lost)."""
    if token.user_id != actor.pk and not actor.is_superuser:
        raise PermissionDenied(_("只能吊销自己的令牌。"))
    now = timezone.now()
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        raise ValidationError({"token": _("该令牌已吊销。")})
    token.refresh_from_db()
    tokencache.forget()
    record_event(
        actor,
        OrgVerb.API_TOKEN_REVOKED,
        token,
        unit=None,
        before={"revoked_at": None},
        after={"revoked_at": now},
    )
    return token


@transaction.atomic
def do_revoke_user_api_tokens(actor: User | None, user: User, *, why: str) -> int:
    """Revoke every live token of ``user``: its password changed or it was deactivated
    (issue 11), so what it handed to scripts must stop working too."""
    now = timezone.now()
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
    tokencache.forget()
    for token in tokens:
        record_event(
            actor,
            OrgVerb.API_TOKEN_REVOKED,
            token,
            unit=None,
            before={"revoked_at": None},
            after={"revoked_at": now, "why": why},
        )
    return len(tokens)


_TOKEN_FIELDS = ["user", "name", "prefix", "created_at", "revoked_at"]
