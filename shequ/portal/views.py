"""The residents' pages at the site's root, and the few staff pages that show what the
portal holds (online requests' photos, agency callbacks). Plain HTML forms: every page
reads and submits without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shequ.agency.models import AgencyStation
from shequ.lib.masking import mask_phone
from shequ.lib.qr import qr_svg
from shequ.notify.models import Channel as MessageChannel
from shequ.notify.models import Message
from shequ.orgs.access import acting_user, may
from shequ.orgs.crypto import decrypt_or_blank
from shequ.portal import access, actions
from shequ.portal.board import board_for, get_charter_draft
from shequ.portal.forms import (
    AppealForm,
    AskForm,
    CallbackForm,
    CodeForm,
    CommunitySearchForm,
    ConsentForm,
    HandleCallbackForm,
    MediationForm,
    PhoneForm,
    RateForm,
    SearchForm,
    new_token,
)
from shequ.portal.models import Account, CallbackKind, CallbackStatus
from shequ.services.models import (
    Case,
    CaseEvent,
    CasePause,
    CaseStatus,
    Rating,
    Requirement,
    ServiceHall,
)
from shequ.services.verbs import CaseVerb

View = Callable[..., HttpResponseBase]
PENDING_PHONE = "portal_phone"
DEMO_CODE = "portal_demo_code"
LARGE = "portal_large"

# What of a case's timeline a resident sees: the steps, never the staff's notes, and not
# the internal ones (reminders, escalations, recomputations, extension requests).
RESIDENT_VERBS = {
    CaseVerb.RECEIVED,
    CaseVerb.ACCEPTED,
    CaseVerb.RETURNED,
    CaseVerb.RESUMED,
    CaseVerb.REFUSED,
    CaseVerb.STARTED,
    CaseVerb.ARRIVED,
    CaseVerb.SENT_UP,
    CaseVerb.COMPLETED,
    CaseVerb.CLOSED,
    CaseVerb.EXTENSION_APPROVED,
    CaseVerb.RATED,
    CaseVerb.RATING_FOLLOWED_UP,
}


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _safe_next(request: HttpRequest, default: str) -> str:
    """A local path to go on to (``next``), or ``default``: never another site, never a
    view name (``redirect`` would try to reverse one)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, {request.get_host()})
    ):
        return target
    return default


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    account = getattr(request, "portal_account", None)
    context.setdefault("account", account)
    context.setdefault("large", bool(request.session.get(LARGE)))
    return render(request, template, context, status=status)


def resident_required(view: View) -> View:
    """A signed-in resident who has agreed to the privacy notice in force."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        account = access.current_account(request)
        if account is None:
            return redirect(f"{reverse('portal:signin')}?next={request.get_full_path()}")
        if actions.needs_consent(account):
            return redirect(f"{reverse('portal:privacy')}?next={request.get_full_path()}")
        request.portal_account = account  # type: ignore[attr-defined]
        return view(request, account, *args, **kwargs)

    return wrapper


def _with_account(request: HttpRequest) -> Account | None:
    account = access.current_account(request)
    request.portal_account = account  # type: ignore[attr-defined]
    return account


# --- home, text size, sign-in ------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """The site's root: staff signed in go to their workbench, everyone else sees the
    residents' home page."""
    if request.user.is_authenticated:
        return redirect("workbench:home")
    account = _with_account(request)
    recent: list[Case] = []
    if account is not None and not actions.needs_consent(account):
        recent = list(
            access.cases_for_account(account).select_related("item").order_by("-received_at")[:3]
        )
    return _page(request, "portal/home.html", {"recent": recent})


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    request.session[LARGE] = request.POST.get("large") == "1"
    return redirect(_safe_next(request, reverse("portal:home")))


@never_cache
def signin(request: HttpRequest) -> HttpResponse:
    _with_account(request)
    form = PhoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = actions.do_send_sign_in_code(
                phone=form.cleaned_data["phone"], address=_address(request)
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            request.session[PENDING_PHONE] = actions.clean_phone(form.cleaned_data["phone"])
            request.session[DEMO_CODE] = sent.demo_code
            nxt = _safe_next(request, "")
            return redirect(reverse("portal:signin_code") + (f"?next={nxt}" if nxt else ""))
    status = 400 if form.errors else 200
    return _page(
        request, "portal/signin.html", {"form": form, "next": _safe_next(request, "")}, status
    )


@never_cache
def signin_code(request: HttpRequest) -> HttpResponse:
    _with_account(request)
    phone = request.session.get(PENDING_PHONE)
    if not phone:
        return redirect("portal:signin")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account = actions.do_verify_sign_in_code(
                phone=phone, code=form.cleaned_data["code"], address=_address(request)
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            large = request.session.get(LARGE)
            request.session.cycle_key()
            request.session.pop(PENDING_PHONE, None)
            request.session.pop(DEMO_CODE, None)
            request.session[access.SESSION_KEY] = account.pk
            if large:
                request.session[LARGE] = large
            target = _safe_next(request, reverse("portal:my"))
            if actions.needs_consent(account):
                return redirect(f"{reverse('portal:privacy')}?next={target}")
            return redirect(target)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "masked": mask_phone(phone),
        "demo_code": request.session.get(DEMO_CODE, ""),
        "minutes": settings.SHEQU_PORTAL_CODE_SECONDS // 60,
        "next": _safe_next(request, ""),
    }
    return _page(request, "portal/signin_code.html", context, status)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    large = request.session.get(LARGE)
    request.session.pop(access.SESSION_KEY, None)
    request.session.cycle_key()
    if large:
        request.session[LARGE] = large
    return redirect("portal:home")


@never_cache
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice (个人信息处理规则); a signed-in resident agrees to it once per
    version before using the portal."""
    account = _with_account(request)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if account is None:
            return redirect("portal:signin")
        if form.is_valid():
            actions.do_give_consent(account, address=_address(request))
            return redirect(_safe_next(request, reverse("portal:my")))
    agreed = account is not None and not actions.needs_consent(account)
    context = {
        "form": form,
        "agreed": agreed,
        "contact": settings.SHEQU_PORTAL_PRIVACY_CONTACT,
        "keep_years": settings.SHEQU_PORTAL_KEEP_YEARS,
        "version": settings.SHEQU_PORTAL_PRIVACY_VERSION,
        "next": _safe_next(request, ""),
    }
    return _page(request, "portal/privacy.html", context, 400 if form.errors else 200)


# --- the catalogue and asking --------------------------------------------------------------


def guide_list(request: HttpRequest) -> HttpResponse:
    account = _with_account(request)
    unit = (
        account.unit
        if account is not None and account.unit.kind in access.COMMUNITY_KINDS
        else None
    )
    form = SearchForm(request.GET or None)
    items = access.public_items(unit).select_related("window_type").order_by("sort_order", "code")
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    applying = request.GET.get("apply") == "1"
    if applying:
        items = items.filter(public=True)
    if q:
        items = items.filter(Q(name__contains=q) | Q(code__icontains=q) | Q(guide__contains=q))
    return _page(
        request,
        "portal/guide_list.html",
        {"form": form, "items": items, "q": q, "applying": applying},
    )


def guide(request: HttpRequest, code: str) -> HttpResponse:
    account = _with_account(request)
    item = access.get_item_for_account(account, code)
    materials = list(item.materials.all())
    return _page(
        request,
        "portal/guide.html",
        {
            "item": item,
            "materials": materials,
            "has_deferrable": any(m.requirement == Requirement.DEFERRABLE for m in materials),
        },
    )


@resident_required
def community(request: HttpRequest, account: Account) -> HttpResponse:
    """A limited account says where it lives (search by name, then choose)."""
    if account.resident_id is not None:
        return redirect("portal:my")
    if request.method == "POST":
        chosen = access.get_community(request.POST.get("community"))
        actions.do_choose_community(account, chosen)
        return redirect(_safe_next(request, reverse("portal:my")))
    form = CommunitySearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    found = list(access.communities_matching(q)) if q else []
    rows = [(u, access.place_of(u)) for u in found]
    return _page(
        request,
        "portal/community.html",
        {"form": form, "rows": rows, "q": q, "next": _safe_next(request, "")},
    )


@resident_required
def ask(request: HttpRequest, account: Account, code: str) -> HttpResponse:
    item = access.get_item_for_account(account, code)
    if account.resident_id is None and not account.community_chosen:
        return redirect(f"{reverse('portal:community')}?next={request.get_full_path()}")
    limited = account.resident_id is None
    if request.method == "POST":
        form = AskForm(request.POST, request.FILES, limited=limited)
        if form.is_valid():
            try:
                online = actions.do_submit_request(
                    account,
                    item=item,
                    summary=form.cleaned_data["summary"],
                    name=form.cleaned_data.get("name", ""),
                    photos=form.cleaned_data["photos"],
                    client_token=form.cleaned_data["client_token"],
                    address=_address(request),
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                form.add_action_errors(exc)
            else:
                messages.success(
                    request,
                    _("已提交,办件编号 %(number)s。受理后将告知您答复时间。")
                    % {"number": online.case.number},
                )
                return redirect("portal:request", case_id=online.case.pk)
    else:
        form = AskForm(initial={"client_token": new_token(), "name": account.name}, limited=limited)
    return _page(
        request,
        "portal/ask.html",
        {"form": form, "item": item, "max_photos": settings.SHEQU_PORTAL_MAX_PHOTOS},
        400 if form.errors else 200,
    )


# --- following --------------------------------------------------------------------------


@resident_required
def my(request: HttpRequest, account: Account) -> HttpResponse:
    cases = (
        access.cases_for_account(account)
        .select_related("item", "resident", "unit")
        .order_by("-received_at")
    )
    return _page(request, "portal/my.html", {"cases": cases[:100]})


def _timeline(case: Case) -> list[dict[str, Any]]:
    rows = []
    for event in CaseEvent.objects.filter(case=case, verb__in=RESIDENT_VERBS).order_by("at", "pk"):
        entry: dict[str, Any] = {
            "at": event.at,
            "label": CaseVerb(event.verb).label,
            "status": CaseStatus(event.status).label if event.status else "",
        }
        if event.verb == CaseVerb.RETURNED:
            entry["detail"] = "、".join(event.data.get("missing") or [])
        rows.append(entry)
    return rows


def _case_messages(case: Case) -> list[Message]:
    """The text messages sent to the applicant about this case (never staff notices)."""
    keys = Q(dedupe_key__startswith=f"case:{case.pk}:")
    online = getattr(case, "online_request", None)
    if online is not None:
        keys |= Q(dedupe_key__startswith=f"portal:request:{online.pk}:")
    return list(
        Message.objects.filter(keys, channel=MessageChannel.SMS).order_by("created_at", "pk")
    )


def _case_context(account: Account, case: Case) -> dict[str, Any]:
    rating = Rating.objects.filter(case=case).select_related("rectification").first()
    rect = getattr(rating, "rectification", None) if rating else None
    open_pause = CasePause.objects.filter(case=case, ended_at__isnull=True).first()
    online = getattr(case, "online_request", None)
    photos = list(online.photos.all()) if online and online.account_id == account.pk else []
    reply_at = case.reply_due_at or case.due_at
    return {
        "case": case,
        "reply_at": reply_at,
        "timeline": _timeline(case),
        "texts": _case_messages(case),
        "rating": rating,
        "rect": rect,
        "appeal": getattr(case, "portal_appeal", None),
        "missing": open_pause.missing_materials if open_pause else [],
        "photos": photos,
        "refused": case.status == CaseStatus.REFUSED,
    }


@resident_required
def request_detail(request: HttpRequest, account: Account, case_id: int) -> HttpResponse:
    case = access.get_case_for_account(account, case_id)
    context = _case_context(account, case)
    if case.is_done and context["rating"] is None:
        context["rate_form"] = RateForm(initial={"client_token": new_token()})
    if context["rect"] is not None and context["appeal"] is None:
        context["appeal_form"] = AppealForm()
    return _page(request, "portal/request.html", context)


@resident_required
@require_POST
def rate(request: HttpRequest, account: Account, case_id: int) -> HttpResponse:
    case = access.get_case_for_account(account, case_id)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            actions.do_rate_request(
                account,
                case,
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"],
                client_token=form.cleaned_data["client_token"],
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("portal:request", case_id=case.pk)
    context = _case_context(account, case)
    context["rate_form"] = form
    return _page(request, "portal/request.html", context, 400)


@resident_required
@require_POST
def appeal(request: HttpRequest, account: Account, case_id: int) -> HttpResponse:
    case = access.get_case_for_account(account, case_id)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            actions.do_appeal_rectification(account, case, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, _("已提交复核申请,上级将与您联系。"))
            return redirect("portal:request", case_id=case.pk)
    context = _case_context(account, case)
    context["appeal_form"] = form
    return _page(request, "portal/request.html", context, 400)


@resident_required
def receipt(request: HttpRequest, account: Account, case_id: int) -> HttpResponse:
    """A printable receipt (网上申请回执) with the office's contacts, signature and seal
    places, and a QR code to the request's page."""
    case = access.get_case_for_account(account, case_id)
    url = request.build_absolute_uri(reverse("portal:request", args=[case.pk]))
    hall = ServiceHall.objects.filter(unit=case.unit).first()
    return _page(
        request,
        "portal/receipt.html",
        {
            "case": case,
            "qr": qr_svg(url),
            "url": url,
            "hall": hall,
            "printed_at": timezone.now(),
            "reply_at": case.reply_due_at or case.due_at,
        },
    )


@resident_required
def photo(request: HttpRequest, account: Account, photo_id: int) -> HttpResponseBase:
    row = access.get_photo_for_account(account, photo_id)
    return _file(row)


def _file(row: Any) -> HttpResponseBase:
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=row.content_type)
    response["Cache-Control"] = "private, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- agency callback and the board ----------------------------------------------------------


@resident_required
def agency_callback(request: HttpRequest, account: Account) -> HttpResponse:
    if account.resident_id is None and not account.community_chosen:
        return redirect(f"{reverse('portal:community')}?next={request.get_full_path()}")
    if request.method == "POST":
        form = CallbackForm(request.POST)
        if form.is_valid():
            try:
                actions.do_request_callback(
                    account,
                    for_whom=form.cleaned_data["for_whom"],
                    person_name=form.cleaned_data["person_name"],
                    phone=form.cleaned_data["phone"],
                    note=form.cleaned_data["note"],
                    client_token=form.cleaned_data["client_token"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                form.add_action_errors(exc)
            else:
                messages.success(request, _("已收到,社区代办员将在工作时间内给您回电。"))
                return redirect("portal:my")
    else:
        form = CallbackForm(
            initial={
                "client_token": new_token(),
                "for_whom": "self",
                "person_name": account.display_name if account.resident_id else account.name,
                "phone": actions.account_phone(account),
            }
        )
    stations = AgencyStation.objects.filter(unit=account.unit, active=True)
    return _page(
        request,
        "portal/agency_callback.html",
        {"form": form, "stations": stations},
        400 if form.errors else 200,
    )


@resident_required
def mediation_request(request: HttpRequest, account: Account) -> HttpResponse:
    """Ask the community's mediators to call back about a dispute (人民调解); the
    mediator registers it in the mediation app as a party's application."""
    if account.resident_id is None and not account.community_chosen:
        return redirect(f"{reverse('portal:community')}?next={request.get_full_path()}")
    if request.method == "POST":
        form = MediationForm(request.POST)
        if form.is_valid():
            try:
                actions.do_request_callback(
                    account,
                    kind=CallbackKind.MEDIATION,
                    for_whom="self",
                    person_name=form.cleaned_data["person_name"],
                    phone=form.cleaned_data["phone"],
                    note=form.cleaned_data["note"],
                    client_token=form.cleaned_data["client_token"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                form.add_action_errors(exc)
            else:
                messages.success(request, _("已收到,社区调解员将在工作时间内给您回电。"))
                return redirect("portal:my")
    else:
        form = MediationForm(
            initial={
                "client_token": new_token(),
                "person_name": account.display_name if account.resident_id else account.name,
                "phone": actions.account_phone(account),
            }
        )
    return _page(
        request,
        "portal/mediation_request.html",
        {"form": form, "board": board_for(account.unit)},
        400 if form.errors else 200,
    )


def board(request: HttpRequest) -> HttpResponse:
    account = _with_account(request)
    chosen = request.GET.get("community")
    if chosen:
        unit = access.get_community(chosen)
    elif account is not None and account.unit.kind in access.COMMUNITY_KINDS:
        unit = account.unit
    else:
        form = CommunitySearchForm(request.GET or None)
        q = form.cleaned_data["q"] if form.is_valid() else ""
        rows = list(access.communities_matching(q)) if q else []
        return _page(request, "portal/board_pick.html", {"form": form, "rows": rows, "q": q})
    return _page(request, "portal/board.html", {"board": board_for(unit)})


def charter(request: HttpRequest, community_id: int, version_id: int) -> HttpResponse:
    """A charter or convention draft in public comment, for anyone to read; how to give
    an opinion. Another community's, or one not in comment today, is 404."""
    _with_account(request)
    unit = access.get_community(community_id)
    draft = get_charter_draft(unit, version_id)
    if draft is None:
        raise Http404
    return _page(request, "portal/charter.html", {"draft": draft, "community": unit})


# --- staff: the portal's rows in their scope --------------------------------------------------


@login_required
def staff_requests(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = (
        access.online_requests_for_user(user)
        .select_related("case", "case__item", "unit")
        .prefetch_related("photos")
        .order_by("-created_at")[:100]
    )
    return render(request, "portal/staff_requests.html", {"rows": rows})


@login_required
def staff_photo(request: HttpRequest, photo_id: int) -> HttpResponseBase:
    return _file(access.get_photo_for_user(acting_user(request), photo_id))


@login_required
def staff_callbacks(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = (
        access.callbacks_for_user(user)
        .select_related("unit", "account")
        .order_by("status", "-created_at")[:100]
    )
    # The agents who call back see the number; others in scope see it masked.
    shown = [
        (
            row,
            decrypt_or_blank(row.phone_enc)
            if may(user, access.callback_roles(row.kind), row.unit)
            else "",
        )
        for row in rows
    ]
    return render(
        request,
        "portal/staff_callbacks.html",
        {"rows": shown, "form": HandleCallbackForm(), "open": CallbackStatus.OPEN},
    )


@login_required
@require_POST
def staff_callback_done(request: HttpRequest, callback_id: int) -> HttpResponse:
    user = acting_user(request)
    callback = access.get_callback_for_user(user, callback_id)
    form = HandleCallbackForm(request.POST)
    if form.is_valid():
        try:
            actions.do_handle_callback(user, callback, note=form.cleaned_data["note"])
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已记录回电情况。"))
    else:
        messages.error(request, _("请填写回电情况。"))
    return redirect("portal:staff_callbacks")


# --- affairs disclosure (居务公开) on the community board --------------------------------------


def disclosure(request: HttpRequest, community_id: int, disclosure_id: int) -> HttpResponse:
    """A published disclosure, for anyone to read, with the questions asked and the
    committee's answers; a signed-in resident may question it."""
    from shequ.governance.disclosure_actions import do_ask_question
    from shequ.governance.figures import public_questions, published_disclosure
    from shequ.portal.forms import DisclosureQuestionForm

    account = _with_account(request)
    unit = access.get_community(community_id)
    found = published_disclosure(unit, disclosure_id)
    if found is None:
        raise Http404
    form = None
    if account is not None:
        form = DisclosureQuestionForm(
            request.POST if request.method == "POST" else None,
            initial={
                "client_token": new_token(),
                "name": account.display_name if account.resident_id else account.name,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                do_ask_question(
                    None,
                    found,
                    asker=form.cleaned_data["name"],
                    text=form.cleaned_data["text"],
                    asker_ref=f"portal:{account.pk}",
                    client_token=form.cleaned_data["client_token"],
                )
            except ValidationError as exc:
                form.add_action_errors(exc)
            else:
                messages.success(request, _("已收到您的质询,村(居)民委员会将按期答复。"))
                return redirect(request.path)
    elif request.method == "POST":
        return redirect(f"{reverse('portal:signin')}?next={request.path}")
    return _page(
        request,
        "portal/disclosure.html",
        {
            "d": found,
            "community": unit,
            "questions": public_questions(found),
            "form": form,
        },
        400 if form is not None and form.errors else 200,
    )
