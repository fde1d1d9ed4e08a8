"""``manage.py id_candidates``: how far what each role sees narrows residents' ID numbers.

For every role without the reveal right, every user holding it, every resident that user
sees: the candidates left by the masked number, the birth year and the gender, with the
region code known (people.masking). Prints the smallest count per role; fails (exit 1)
when one is below 1,000.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shequ.orgs.models import Post, Role, User
from shequ.people import access
from shequ.people.masking import MIN_CANDIDATES, smallest_count


class Command(BaseCommand):
    help = "The fewest ID-number candidates any role without the reveal right is left with."

    def handle(self, *args: Any, **options: Any) -> None:
        worst: list[str] = []
        for role in Role:
            if role in access.REVEAL_ROLES:
                continue
            users = User.objects.filter(
                pk__in=Post.objects.active().filter(role=role).values("user_id"),
                is_superuser=False,
            )
            best: tuple[int, int, str] | None = None
            seen_users = 0
            for user in users.iterator():
                seen_users += 1
                found = smallest_count(user)
                if found is not None and (best is None or found[0] < best[0]):
                    best = (found[0], found[1], user.username)
            if best is None:
                self.stdout.write(f"{role.value}: {seen_users} users, no resident visible")
                continue
            self.stdout.write(
                f"{role.value}: {seen_users} users, smallest {best[0]:,} candidates "
                f"(resident {best[1]}, seen by {best[2]})"
            )
            if best[0] < MIN_CANDIDATES:
                worst.append(role.value)
        if worst:
            raise CommandError(f"fewer than {MIN_CANDIDATES} candidates for: {', '.join(worst)}")
