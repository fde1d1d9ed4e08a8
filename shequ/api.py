"""The JSON API at /api/v1/: one NinjaAPI, one router per app (see docs/api.md)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from shequ.people.api import router as people_router
from shequ.services.api import router as services_router

api = NinjaAPI(
    title="Shequ API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
)
api.add_router("/people/", people_router, tags=["people"])
api.add_router("/services/", services_router, tags=["services"])
