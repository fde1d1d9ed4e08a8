"""/healthz: is the database reachable, are migrations applied, is the worker alive."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shequ.orgs.models import WorkerHeartbeat

_migrations_applied = False


def _pending_migrations() -> int:
    """Loading the migration graph costs tens of milliseconds: once this process has
    seen every migration applied, later probes skip it (migrations are never unapplied
    under a running server)."""
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = pending == 0
    return pending


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    body: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = "ok"
    except DatabaseError as exc:
        body["database"] = f"error: {exc.__class__.__name__}"
        return JsonResponse({**body, "status": "fail"}, status=503)

    pending = _pending_migrations()
    body["migrations"] = "ok" if not pending else f"{pending} pending"

    last = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    age = None if last is None else round((timezone.now() - last).total_seconds(), 1)
    body["worker_heartbeat_age_seconds"] = age
    worker_ok = age is not None and age <= settings.SHEQU_WORKER_STALE_SECONDS
    body["worker"] = "ok" if worker_ok else ("never seen" if age is None else "stale")

    healthy = not pending and worker_ok
    body["status"] = "ok" if healthy else "degraded"
    return JsonResponse(body, status=200 if healthy else 503)
