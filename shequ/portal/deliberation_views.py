"""Deliberation on the residents' portal: a community's topics and their results, a
resident's own topics (a declined one with its reason) and the messages sent about
them, proposing a topic, supporting it (once) and commenting. Everything goes through
governance's deliberation actions; the resident is known to governance only by their
phone's blind index and, for messages, their phone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ.governance import deliberation_access as daccess
from shequ.governance import deliberation_actions as da
from shequ.governance.deliberation_forms import CommentPostForm, ResidentTopicForm
from shequ.governance.figures import topic_messages
from shequ.governance.models import Milestone, Topic, TopicSource, TopicStatus
from shequ.lib.masking import mask_name
from shequ.orgs.files import serve_upload
from shequ.orgs.models import OrgUnit, UnitKind
from shequ.portal import access, actions
from shequ.portal.models import Account
from shequ.portal.views import _page, _with_account, resident_required


def _community(account: Account | None) -> OrgUnit | None:
    if account is None:
        return None
    unit: OrgUnit | None = account.unit
    while unit is not None and unit.kind in (UnitKind.VILLAGE, UnitKind.GRID):
        unit = unit.parent_unit()
    return unit if unit is not None and unit.kind == UnitKind.COMMUNITY else None


def topics(request: HttpRequest) -> HttpResponse:
    account = _with_account(request)
    chosen = request.GET.get("community")
    community = access.get_community(chosen) if chosen else _community(account)
    if community is not None and community.kind != UnitKind.COMMUNITY:
        community = community.parent_unit()  # a village: its rural community
    rows = list(daccess.public_topics(community)[:50]) if community is not None else []
    mine = list(daccess.own_topics(account.phone_index)[:50]) if account is not None else []
    return _page(
        request,
        "portal/topics.html",
        {"community": community, "rows": rows, "mine": mine},
    )


@resident_required
def topic_new(request: HttpRequest, account: Account) -> HttpResponse:
    community = _community(account)
    if community is None:
        return redirect(f"{reverse('portal:community')}?next={request.get_full_path()}")
    form = ResidentTopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            topic = da.do_propose_topic(
                None,
                unit=community,
                title=d["title"],
                description=d["description"],
                source=TopicSource.RESIDENT,
                proposer_name=account.resident.name
                if account.resident
                else account.name or _("居民"),
                concerned=d["concerned"],
                contact=actions.account_phone(account),
                proposer_key=account.phone_index,
                client_token=d["client_token"],
            )
        except ValidationError as e:
            form.add_action_errors(e)
        else:
            messages.success(request, _("议题已提交,社区受理后会短信告知您。"))
            return redirect("portal:topic", topic.pk)
    status = 400 if form.errors else 200
    return _page(request, "portal/topic_new.html", {"form": form, "community": community}, status)


def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    account = _with_account(request)
    key = account.phone_index if account is not None else ""
    topic = daccess.get_public_topic(topic_id, key)
    today = timezone.localdate()
    results = list(
        topic.results.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("happened_on", "pk"))
        )
    )
    own = bool(key) and topic.proposer_key == key
    context: dict[str, Any] = {
        "topic": topic,
        "own": own,
        "open": topic.status not in daccess.PRIVATE_STATUSES,
        "consultations": topic.consultations.all(),
        "results": [(r, r.is_overdue(today)) for r in results],
        "comments": topic.comments.filter(hidden=False),
        "supports": topic.supports.count(),
        "supported": bool(key) and topic.supports.filter(supporter_key=key).exists(),
        "form": CommentPostForm(),
        "messages_sent": topic_messages(topic.pk, account.phone_masked) if own and account else [],
        "S": TopicStatus,
    }
    return _page(request, "portal/topic.html", context)


@require_POST
@resident_required
def topic_support(request: HttpRequest, account: Account, topic_id: int) -> HttpResponse:
    topic = daccess.get_public_topic(topic_id)
    try:
        da.do_support_topic(topic, supporter_key=account.phone_index)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("portal:topic", topic.pk)


@require_POST
@resident_required
def topic_comment(request: HttpRequest, account: Account, topic_id: int) -> HttpResponse:
    topic: Topic = daccess.get_public_topic(topic_id)
    form = CommentPostForm(request.POST)
    if form.is_valid():
        try:
            da.do_comment_topic(
                None,
                topic,
                author_name=mask_name(account.resident.name) if account.resident else _("居民"),
                author_key=account.phone_index,
                text=form.cleaned_data["text"],
                client_token=form.cleaned_data["client_token"],
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("评论已发表。"))
    else:
        messages.error(request, _("请填写评论内容。"))
    return redirect("portal:topic", topic.pk)


def milestone_photo(request: HttpRequest, milestone_id: int) -> Any:
    milestone = daccess.get_public_milestone(milestone_id)
    return serve_upload(milestone.photo, f"milestone-{milestone.pk}")
