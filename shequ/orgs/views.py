from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shequ.orgs import access
from shequ.orgs.actions import (
    do_assign_post,
    do_create_api_token,
    do_create_staff,
    do_end_post,
    do_revoke_api_token,
    do_revoke_user_api_tokens,
)
from shequ.orgs.counts import counts_below
from shequ.orgs.forms import ApiTokenForm, AssignPostForm, UnitSearchForm
from shequ.orgs.models import OrgUnit, Post, Role, User


def locked_out(
    request: HttpRequest, response: object = None, credentials: object = None
) -> HttpResponse:
    """django-axes calls this once an account has too many failed logins."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    form = UnitSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        found = access.units_for_user(request.user).filter(
            Q(name__contains=q) | Q(official_name__contains=q) | Q(code__startswith=q)
        )
        results = Paginator(found.order_by("path"), 50).get_page(request.GET.get("page"))
    roots = list(access.scope_roots(request.user))
    return render(
        request, "orgs/unit_tree.html", {"form": form, "results": results, "roots": roots}
    )


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, unit_id)
    children = list(unit.children().order_by("path"))
    total, per_child = counts_below(unit, children)
    # The breadcrumb stops at the top of the user's scope.
    ancestors = [a for a in unit.ancestors() if access.in_scope(request.user, a)]
    posts = (
        Post.objects.active()
        .filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    rows = [(child, per_child[child.pk]) for child in children]
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "rows": rows,
            "total": total,
            "posts": posts,
            "can_audit": access.may(request.user, access.AUDIT_ROLES, unit),
            "can_manage_posts": access.may_manage_posts(request.user, unit),
        },
    )


@login_required
def post_assign(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, unit_id)
    if not access.may_manage_posts(request.user, unit):
        raise PermissionDenied
    form = AssignPostForm(unit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = User.objects.filter(username=data["username"]).first()
                password = None
                if person is None:
                    if not data["full_name"].strip():
                        raise ValidationError({"full_name": _("新建人员时请填写姓名。")})
                    password = secrets.token_urlsafe(9)
                    person = do_create_staff(
                        access.acting_user(request),
                        username=data["username"],
                        full_name=data["full_name"].strip(),
                        password=password,
                    )
                do_assign_post(
                    access.acting_user(request),
                    person,
                    unit,
                    role=data["role"],
                    employment=data["employment"],
                    civil_servant=data["civil_servant"],
                    title=data["title"],
                    started_on=data["started_on"],
                    client_token=data["client_token"],
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已为 %(name)s 设岗。") % {"name": person.display_name})
            if password:
                messages.info(
                    request,
                    _(
                        "新账号 %(username)s 的初始密码:%(password)s(仅显示一次,请转告本人登录后修改)"
                    )
                    % {"username": person.username, "password": password},
                )
            return redirect(unit)
    return render(request, "orgs/post_assign.html", {"unit": unit, "form": form})


@login_required
@require_POST
def post_end(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access.get_post_for_user(request.user, post_id)
    if not access.may_manage_posts(request.user, post.unit):
        raise PermissionDenied
    try:
        do_end_post(access.acting_user(request), post)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s 已离任。") % {"name": post.user.display_name})
    return redirect(post.unit)


@login_required
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    person = access.get_staff_for_user(request.user, staff_id)
    posts = (
        Post.objects.filter(user=person)
        .filter(access.scope_q(request.user))
        .select_related("unit")
        .order_by("-started_on")
    )
    active = [p for p in posts if p.is_active()]
    secretary = {p.unit_id for p in active if p.role == Role.PARTY_SECRETARY}
    dual_role = any(p.role == Role.DIRECTOR and p.unit_id in secretary for p in active)
    return render(
        request,
        "orgs/staff_detail.html",
        {"person": person, "posts": posts, "dual_role": dual_role},
    )


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = access.events_for_user(request.user).select_related("actor", "unit")
    unit: OrgUnit | None = None
    if request.GET.get("unit"):
        unit = access.get_unit_for_user(request.user, request.GET["unit"])
        events = events.filter(unit__path__startswith=unit.path)
    page = Paginator(events.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/event_list.html", {"page": page, "unit": unit})


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, event_id)
    return render(request, "orgs/event_detail.html", {"event": event})


@never_cache  # the answer may carry a new token's secret
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own API tokens: make one (its secret shown once), revoke."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = do_create_api_token(
                access.acting_user(request),
                name=form.cleaned_data["name"],
                client_token=form.cleaned_data["client_token"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if secret is None:
                messages.warning(
                    request,
                    _("令牌“%(name)s”已创建,其内容只在创建时显示一次;如未保存,请吊销后重新创建。")
                    % {"name": token.name},
                )
                return redirect("orgs:api_tokens")
            # Rendered, not redirected: the secret must not travel through the session.
            return render(
                request,
                "orgs/api_tokens.html",
                {
                    "form": ApiTokenForm(),
                    "tokens": access.api_tokens_for_user(request.user),
                    "new_token": token,
                    "secret": secret,
                },
            )
    return render(
        request,
        "orgs/api_tokens.html",
        {"form": form, "tokens": access.api_tokens_for_user(request.user)},
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = access.get_api_token_for_user(request.user, token_id)
    try:
        do_revoke_api_token(access.acting_user(request), token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("令牌“%(name)s”已吊销。") % {"name": token.name})
    return redirect("orgs:api_tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, and a changed password ends the user's API tokens (issue 11)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        do_revoke_user_api_tokens(form.user, form.user, why="password_changed")
        return response
