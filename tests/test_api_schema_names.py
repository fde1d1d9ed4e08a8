"""Every schema of the JSON API has a name of its own.

The OpenAPI document names each component by its class name, so two apps' ``ItemOut``
would become one: the later one's shape is then published for the other's operations
and a generated client reads the wrong fields (found when governance's agenda item
replaced the service catalogue's item in the schema).
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

import shequ.api


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(BaseModel):
        if cls.__module__.startswith("shequ."):
            by_name[cls.__name__].add(cls.__module__)
    shared = {name: sorted(mods) for name, mods in by_name.items() if len(mods) > 1}
    assert shared == {}


def test_the_catalogue_item_keeps_its_own_shape_in_the_schema() -> None:
    schema = shequ.api.api.get_openapi_schema()
    item = schema["components"]["schemas"]["ItemOut"]
    assert {"code", "name", "legal_limit_days"} <= set(item["properties"])
