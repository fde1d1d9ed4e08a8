from __future__ import annotations

from django.http import HttpRequest

from shequ.orgs import access, calendar


def navigation(request: HttpRequest) -> dict[str, object]:
    """Menu entries by role; computed lazily so anonymous pages cost nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = {post.role for post in access.active_posts(user)}
    return {
        "nav_roles": roles,
        "nav_has_posts": user.is_superuser or bool(roles),
        "nav_can_audit": user.is_superuser or bool(roles & access.AUDIT_ROLES),
        # read by the template only when it shows the banner: a query for those who see it
        "calendar_ends": (
            calendar.calendar_warning if calendar.may_see_calendar_warning(user) else None
        ),
    }
