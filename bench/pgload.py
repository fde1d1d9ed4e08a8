"""Loading millions of rows into PostgreSQL for the benchmarks, as fast as the server goes.

Rows are generated in SQL (``INSERT … SELECT … FROM generate_series``: no Python per
row, no round trip per row), with the table's secondary indexes dropped for the load and
built again afterwards (one sort each instead of ten million random insertions), the
foreign keys not re-checked row by row (the benchmark's ids are real), and the table
vacuumed and analysed at the end (with the rest of the database, as autovacuum would
have done by then).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Indexes backing a constraint (primary key, unique) stay: dropping them means dropping
# the constraint. The others are rebuilt from their own definition.
_SECONDARY = """
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = current_schema() AND i.tablename = %s
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
ORDER BY i.indexname
"""


@contextmanager
def bulk_load(table: str) -> Iterator[Any]:
    """A cursor to fill ``table`` with; its secondary indexes are rebuilt on exit."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_SECONDARY, [table])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
            cursor.execute("ANALYZE")  # the small tables it is joined with, too
