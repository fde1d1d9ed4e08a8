from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from shequ.demo.accounts import DEMO_ACCOUNTS, demo_unit
from shequ.demo.portal import banner_lines
from shequ.orgs.models import Post, Role, UnitKind

# Logins the other demos make (agency's Badong village point, governance's village),
# printed with their county when those demos are loaded.
MORE_LOGINS = ("village_operator", "badong_township", "village_director", "village_township")


class Command(BaseCommand):
    help = "Print the site's address and the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout.write
        out("")
        out(f"  Shequ is running at {options['url']}/")
        out(f"  Demo password for every login below: {settings.SHEQU_DEMO_PASSWORD}")
        out("")
        for spec in DEMO_ACCOUNTS:
            if spec.role is None:
                out(f"    {spec.username:<16} superuser (admin site at {options['url']}/admin/)")
                continue
            unit = demo_unit(spec.where)
            parent = unit.parent_unit() if spec.where == "grid" else None
            where = f"{parent.name} {unit.name}" if parent else unit.name
            out(f"    {spec.username:<16} {Role(spec.role).label} · {where}")
        for username in MORE_LOGINS:
            post = (
                Post.objects.active()
                .filter(user__username=username)
                .select_related("unit")
                .order_by("pk")
                .first()
            )
            if post is not None:
                county = post.unit.ancestors().filter(kind=UnitKind.COUNTY).first()
                where = f"{county.name} {post.unit.name}" if county else post.unit.name
                out(f"    {username:<16} {post.get_role_display()} · {where}")
        out("")
        for line in banner_lines(options["url"]):  # the residents' portal
            out(line)
        out("")
        out("  Press Ctrl-C to stop.")
