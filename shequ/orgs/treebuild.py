"""Adding many org units at once: paths computed in memory, one bulk insert.

treebeard's ``add_child`` costs several queries per node; loading Enshi's ~3,400
units that way takes tens of seconds. The builder gives each new node the next
materialised path under its parent (continuing after any existing children), inserts
them all with ``bulk_create`` and fixes ``numchild`` on the parents it touched.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from shequ.orgs.models import OrgUnit


class TreeBuilder:
    def __init__(self) -> None:
        self._next_step: dict[str, int] = {}
        self._new: list[OrgUnit] = []
        self._touched_existing: set[int] = set()

    def _step_after_existing(self, parent: OrgUnit) -> int:
        width = len(parent.path) + OrgUnit.steplen
        last = OrgUnit.objects.filter(
            path__startswith=parent.path, depth=parent.depth + 1
        ).aggregate(last=Max("path"))["last"]
        return 0 if last is None else OrgUnit._str2int(last[width - OrgUnit.steplen : width])

    def add_root(self, **fields: Any) -> OrgUnit:
        if OrgUnit.objects.exists() or self._new:
            raise ValueError("the tree already has a root")
        node = OrgUnit(path=OrgUnit._get_path(None, 1, 1), depth=1, numchild=0, **fields)
        self._next_step[""] = 1
        self._new.append(node)
        return node

    def add_child(self, parent: OrgUnit, **fields: Any) -> OrgUnit:
        if parent.path not in self._next_step:
            is_new = parent.pk is None
            self._next_step[parent.path] = 0 if is_new else self._step_after_existing(parent)
        self._next_step[parent.path] += 1
        path = OrgUnit._get_path(parent.path, parent.depth + 1, self._next_step[parent.path])
        node = OrgUnit(path=path, depth=parent.depth + 1, numchild=0, **fields)
        parent.numchild += 1
        if parent.pk is not None:
            self._touched_existing.add(parent.pk)
        self._new.append(node)
        return node

    def save(self) -> int:
        """Insert the new units; returns how many. Call inside a transaction."""
        OrgUnit.objects.bulk_create(self._new, batch_size=500)
        for pk in self._touched_existing:
            parent = OrgUnit.objects.get(pk=pk)
            OrgUnit.objects.filter(pk=pk).update(
                numchild=OrgUnit.objects.filter(
                    path__startswith=parent.path, depth=parent.depth + 1
                ).count()
            )
        count = len(self._new)
        self._new = []
        self._touched_existing = set()
        self._next_step = {}
        return count
