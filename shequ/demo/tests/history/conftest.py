"""The demo's two years of case history, built once for the modules of this package (the
history's own tests and the assessment computed from it) in a transaction rolled back
when the package is done; each module adds what it needs in a savepoint of its own, and
each test runs in a savepoint inside that, as usual. Building the history costs about
30 s of CPU, so it is built once, not once per module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from shequ.demo.accounts import ensure_demo_accounts
from shequ.demo.case_history import CASES, ensure_case_history
from shequ.demo.grids import ensure_demo_grids
from shequ.services.catalogue import ensure_catalogue


@pytest.fixture(scope="package")
def case_history(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_demo_grids()
        ensure_catalogue()
        ensure_demo_accounts()
        assert ensure_case_history() == CASES
        yield
        transaction.set_rollback(True)
