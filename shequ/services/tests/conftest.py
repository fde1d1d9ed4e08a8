from __future__ import annotations

import pytest

from shequ.services.catalogue import ensure_catalogue


@pytest.fixture
def catalogue(db: None) -> int:
    return ensure_catalogue()
