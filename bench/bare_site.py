"""The framework's own ceiling, for ``bench_http``: two bare django-ninja endpoints served
by the same server, the same settings and the same middleware as Shequ, beside Shequ's
own URLs (``ROOT_URLCONF`` of ``bench.bare_settings``). No token, no scope, no ORM: one
insert of the raw baseline's case row and its event row in a transaction, and one select
of such a row by primary key, through Django's cursor.

A hot path of Shequ measured against these says how far it is from what the framework
can do on this machine, beside the ratio against the bare database.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.urls import include, path
from ninja import NinjaAPI

api = NinjaAPI(urls_namespace="bare", docs_url=None)

INSERT_CASE = (
    "INSERT INTO bench_case (unit_id, item_id, channel, status, applicant_kind, contact_name,"
    " contact_phone_enc, summary, number, client_token, received_at, due_at) VALUES"
    " (1, 1, 'api', 'received', 'caller', %s, 'gAAAAABnZ2VuY3J5cHRlZC1waG9uZQ', %s,"
    " 'R-bare', NULL, now(), now() + interval '1 day') RETURNING id"
)
INSERT_EVENT = (
    "INSERT INTO bench_event (case_id, verb, at, note) VALUES (%s, 'received', now(), '')"
)


@api.post("/insert/")
def insert(request: HttpRequest) -> dict[str, Any]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT_CASE, ["向桂英", "就业登记"])
        (case_id,) = cursor.fetchone() or (None,)
        cursor.execute(INSERT_EVENT, [case_id])
    return {"id": case_id}


@api.get("/select/{case_id}/")
def select(request: HttpRequest, case_id: int) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM bench_case WHERE id = %s", [case_id])
        names = [c.name for c in cursor.description]
        row = cursor.fetchone()
    return dict(zip(names, row, strict=True))


urlpatterns = [path("bare/", api.urls), path("", include("shequ.urls"))]
