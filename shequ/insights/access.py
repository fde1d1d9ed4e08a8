"""Who sees which assessment rows: a scheme is seen by the users whose scope holds its
assessing unit or one of the units it assesses; a sheet by those whose scope holds the
assessing unit or the assessed unit. Out of scope is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from shequ.insights.models import Objection, Scheme, ScoreLine, ScoreSheet
from shequ.orgs import access
from shequ.orgs.access import AnyUser, parse_pk


def _paths_q(user: AnyUser, field: str) -> Q:
    return access.scope_q(user, field)


def schemes_for_user(user: AnyUser) -> QuerySet[Scheme]:
    return Scheme.objects.filter(
        _paths_q(user, "unit")
        | Q(pk__in=ScoreSheet.objects.filter(_paths_q(user, "unit")).values("scheme_id"))
    ).select_related("unit")


def sheets_for_user(user: AnyUser) -> QuerySet[ScoreSheet]:
    return ScoreSheet.objects.filter(
        _paths_q(user, "unit") | _paths_q(user, "scheme__unit")
    ).select_related("scheme", "scheme__unit", "unit")


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    try:
        return qs.get(pk=parse_pk(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_scheme_for_user(user: AnyUser, scheme_id: Any) -> Scheme:
    return _get(schemes_for_user(user).distinct(), scheme_id)


def get_sheet_for_user(user: AnyUser, sheet_id: Any) -> ScoreSheet:
    return _get(sheets_for_user(user), sheet_id)


def get_line_for_user(user: AnyUser, line_id: Any) -> ScoreLine:
    lines = ScoreLine.objects.filter(sheet__in=sheets_for_user(user)).select_related(
        "sheet", "indicator", "sheet__scheme", "sheet__unit"
    )
    return _get(lines, line_id)


def get_objection_for_user(user: AnyUser, objection_id: Any) -> Objection:
    rows = Objection.objects.filter(line__sheet__in=sheets_for_user(user)).select_related(
        "line", "line__sheet", "line__sheet__scheme"
    )
    return _get(rows, objection_id)
