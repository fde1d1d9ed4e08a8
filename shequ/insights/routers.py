"""Send insights' rollup reads to the read replica (``DATABASE_REPLICA_URL``) when one is
configured; everything else, and every write, goes to the primary. The rollups are the
dashboards' only source, so a lagging replica shows slightly older figures, never wrong
writes. Assessment rows are read from the primary (a sheet is computed and frozen in one
transaction)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

REPLICA = "replica"
READ_FROM_REPLICA = frozenset({"raterollup", "figurerollup"})


class InsightsReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if (
            model._meta.app_label == "insights"
            and model._meta.model_name in READ_FROM_REPLICA
            and REPLICA in settings.DATABASES
        ):
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None
