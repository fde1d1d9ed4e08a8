from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ.notify import access
from shequ.notify.actions import do_retry_message
from shequ.notify.models import MessageStatus
from shequ.orgs.access import get_unit_for_user

# What the page shows by default: everything that has not (yet) reached its recipient.
OPEN_STATUSES = [MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.FAILED]


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    found = access.messages_for_user(request.user).select_related("unit")
    status = request.GET.get("status", "")
    if status in MessageStatus.values:
        found = found.filter(status=status)
    else:
        status = ""
        found = found.filter(status__in=OPEN_STATUSES)
    unit = None
    if request.GET.get("unit"):
        unit = get_unit_for_user(request.user, request.GET["unit"])
        found = found.filter(unit__path__startswith=unit.path)
    page = Paginator(found.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/message_list.html",
        {"page": page, "status": status, "statuses": MessageStatus.choices, "unit": unit},
    )


@login_required
@require_POST
def message_retry(request: HttpRequest, message_id: int) -> HttpResponse:
    message = access.get_message_for_user(request.user, message_id)
    try:
        do_retry_message(request.user, message)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已重新排队发送。"))
    return redirect("notify:messages")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    found = access.inbox_for_user(request.user).select_related("unit")
    page = Paginator(found.order_by("-sent_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})
