"""The action kit every app's ``actions.py`` is built from.

- ``require``: the actor holds one of the roles over the unit (checked again in the
  action, so a command or an API cannot skip what a page checks);
- ``transition``: a conditional UPDATE that moves a row on only from the states it may
  leave, so of two people acting at once exactly one wins, and the snapshot of before;
- ``escalate_once``: the worker's "tell someone once per due date" loop;
- ``snapshot`` (from ``events``): what the audit log records of a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from shequ.orgs import access
from shequ.orgs.events import snapshot
from shequ.orgs.models import OrgUnit, User

__all__ = ["escalate_once", "require", "snapshot", "transition", "user_or_none"]

M = TypeVar("M", bound=models.Model)


def require(
    actor: User | None, roles: frozenset[str], unit: OrgUnit, *, message: str | None = None
) -> None:
    """The actor works in ``unit``'s scope and holds one of ``roles`` over it.

    ``None`` is the system itself (data loads, the worker). ``message`` says, in the
    app's words, what the actor may not do."""
    if actor is None:
        return
    if not access.in_scope(actor, unit):
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))
    if not access.may(actor, roles, unit):
        raise PermissionDenied(message or _("您的岗位无权进行此操作。"))


def user_or_none(actor: User | None) -> User | None:
    """The actor as a foreign-key value: the system (``None``) or a signed-in user."""
    return actor if actor is not None and actor.is_authenticated else None


def transition[M: models.Model](
    obj: M,
    allowed: Iterable[str],
    *,
    field: str = "status",
    where: Q | None = None,
    fields: list[str] | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """Apply ``changes`` to ``obj`` only if its ``field`` is still one of ``allowed``
    (and ``where`` still holds); returns the snapshot from before and refreshes ``obj``.

    The loser of a race gets a ValidationError on ``field`` naming the current state."""
    allowed = list(allowed)
    before = snapshot(obj, fields)
    manager = type(obj)._default_manager
    rows = manager.filter(pk=obj.pk, **{f"{field}__in": allowed})
    if where is not None:
        rows = rows.filter(where)
    if not rows.update(**changes):
        current = manager.filter(pk=obj.pk).values_list(field, flat=True).first()
        raise ValidationError({field: _conflict(obj, field, current, allowed)})
    obj.refresh_from_db()
    return before


def _conflict(obj: models.Model, field: str, current: Any, allowed: list[str]) -> str:
    if current is None:
        return _("该记录已不存在。")
    if current in allowed:  # the state is right, the extra condition failed
        return _("该记录已被他人处理或已转交其他单位,请刷新后重试。")
    choices = dict(obj._meta.get_field(field).flatchoices)  # type: ignore[union-attr]
    label = choices.get(current, current)
    return _("当前状态为“%(status)s”,不能进行此操作(可能已被他人处理)。") % {"status": label}


def escalate_once[M: models.Model](
    candidates: QuerySet[M],
    *,
    due_field: str,
    marker_field: str,
    handle: Callable[[M, dt.datetime], None],
    limit: int = 100,
) -> int:
    """For each row of ``candidates`` not yet handled for its current due date, mark it
    (``marker_field = due_field``) and call ``handle(row, due)`` in the same transaction.

    A due date that moves (an extension) makes the row a candidate again; two workers
    never handle one row twice for one due date. Returns how many rows were handled."""
    model = candidates.model
    rows = list(
        candidates.exclude(**{marker_field: F(due_field)})
        .order_by(due_field, "pk")
        .values_list("pk", due_field)[:limit]
    )
    done = 0
    for pk, due in rows:
        if due is None:
            continue
        with transaction.atomic():
            row = candidates.filter(pk=pk).first()
            if row is None:
                continue  # no longer a candidate (completed, say)
            claimed = (
                model._default_manager.filter(pk=pk, **{due_field: due})
                .exclude(**{marker_field: due})
                .update(**{marker_field: due})
            )
            if not claimed:
                continue  # moved or handled meanwhile
            handle(row, due)
            done += 1
    return done
