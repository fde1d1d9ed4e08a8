"""Writing the event log. Actions call ``record_event`` inside their transaction."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models

from shequ.orgs.models import Event, OrgUnit, User


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    client_ip: str | None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "shequ_request_context", default=None
)


def set_request_context(ctx: RequestContext | None) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def reset_request_context(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


# Columns that hold ciphertext end in ``_enc`` and their blind indexes in ``_index``; the
# log records neither (a log is read far more widely than the registry), only whether a
# value is there and, when the row keeps one, its masked form.
ENCRYPTED_SUFFIX = "_enc"
INDEX_SUFFIX = "_index"
MASKED = "***"


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys as ids, files as their storage
    names, encrypted values masked), JSON-ready."""
    data: dict[str, Any] = {}
    names = {f.name for f in obj._meta.concrete_fields}
    for field in obj._meta.concrete_fields:
        name = field.name
        if (fields is not None and name not in fields) or name == "password":
            continue
        if name.endswith(INDEX_SUFFIX) and f"{name[: -len(INDEX_SUFFIX)]}_enc" in names:
            continue
        value = field.value_from_object(obj)
        if name.endswith(ENCRYPTED_SUFFIX):
            base = name[: -len(ENCRYPTED_SUFFIX)]
            masked = getattr(obj, f"{base}_masked", None) if f"{base}_masked" in names else None
            data[base] = (masked or MASKED) if value else ""
            continue
        if isinstance(field, models.FileField):
            data[name] = value.name if value else ""
            continue
        data[name] = _jsonable(value)
    return data


def record_event(
    actor: User | None,
    verb: models.TextChoices,
    obj: models.Model,
    *,
    unit: OrgUnit | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    ctx = _current.get()
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    return Event.objects.create(
        actor_id=actor_id,
        verb=str(verb),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        request_id=ctx.request_id if ctx else "",
        client_ip=ctx.client_ip if ctx else None,
    )
