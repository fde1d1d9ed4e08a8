"""Insights' demo: the one-stop halls topped up to the seed's ten windows (one per
window type, through services' own action), the figure rollups rebuilt from the domain
apps' demo data, and the township assessment scheme of 恩施市 computed for a year."""

from __future__ import annotations

from shequ.insights import rollups
from shequ.orgs.models import Post, Role
from shequ.services.hall import do_add_hall_window
from shequ.services.models import ServiceHall, WindowType

SEED_WINDOWS = 10


def ensure_demo_windows() -> int:
    """Every demo hall gets a window for each of the catalogue's (ten) window types."""
    added = 0
    types = list(WindowType.objects.filter(active=True).order_by("sort_order", "code"))
    for hall in ServiceHall.objects.select_related("unit"):
        have = set(hall.windows.values_list("window_type_id", flat=True))
        numbers = set(hall.windows.values_list("number", flat=True))
        director = Post.objects.active().filter(unit=hall.unit, role=Role.DIRECTOR).first()
        actor = director.user if director else None
        number = 1
        for window_type in types[:SEED_WINDOWS]:
            if window_type.pk in have:
                continue
            while number in numbers:
                number += 1
            do_add_hall_window(actor, hall, number=number, window_type=window_type)
            numbers.add(number)
            added += 1
    return added


def ensure_demo_insights() -> int:
    """Returns how many rollup rows it wrote."""
    ensure_demo_windows()
    return rollups.rebuild()
