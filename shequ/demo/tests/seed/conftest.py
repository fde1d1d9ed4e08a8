"""The demo slices behind the seed's figures, loaded once for the modules of this package
(the fifteen figures of the seed page, community building's, the staffing figures,
Badong's village points) in a transaction rolled back when the package is done; each
test runs in a savepoint inside it, as usual. Each module used to load its own slices,
the same ones several times over: the accounts three times, the building and the
agency demos twice. What a first load made, a test reads from the fixture; what a re-run
adds (nothing), it checks itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from shequ.demo.accounts import ensure_demo_accounts
from shequ.demo.agency import ensure_demo_agency
from shequ.demo.building import ensure_demo_building
from shequ.demo.grids import ensure_demo_grids
from shequ.demo.hall import ensure_demo_hall
from shequ.demo.insights import ensure_demo_windows
from shequ.demo.staff import ensure_demo_staff
from shequ.services.catalogue import ensure_catalogue


@pytest.fixture(scope="package")
def seed_demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, int]]:
    """How many records each slice's first load made, by slice."""
    from django.conf import settings

    media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        made = {
            "catalogue": ensure_catalogue(),
            "grids": ensure_demo_grids(),
            "accounts": ensure_demo_accounts(),
            "staff": ensure_demo_staff(),
            "building": ensure_demo_building(),
            "agency": ensure_demo_agency(),
        }
        ensure_demo_hall()
        made["windows"] = ensure_demo_windows()  # the hall demo opened the ten windows
        yield made
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media
