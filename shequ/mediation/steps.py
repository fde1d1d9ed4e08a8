"""The steps of a dispute's file, shared by the page and the API: which steps the
state allows the user now (as bound forms), and running one from its cleaned form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from shequ.mediation import access, actions, forms
from shequ.mediation.models import AgreementForm, Dispute, DisputeStatus, Referrer, Source
from shequ.orgs.models import User
from shequ.services.access import cases_for_user


def step_forms(user: User, d: Dispute, data: Any = None) -> dict[str, Any]:
    """The forms of the steps the dispute's state allows (and the user may take)."""
    f: dict[str, Any] = {}
    mediate = access.may_mediate(user, d)
    s = d.status
    if mediate and s == DisputeStatus.REGISTERED:
        f["accept"] = forms.AcceptForm(
            data,
            mediators=User.objects.filter(
                pk__in=[u.pk for u in actions.committee_mediators(d.committee)]
            ),
        )
        f["refuse"] = forms.RefuseForm(data)
    if mediate and s in (DisputeStatus.ACCEPTED, DisputeStatus.MEDIATING):
        f["session"] = forms.SessionForm(data)
        f["extend"] = forms.ExtendForm(data)
        f["no_agreement"] = forms.NoAgreementForm(data)
    if mediate and s == DisputeStatus.MEDIATING:
        f["agreement"] = forms.AgreementFormForm(data)
    if mediate and s in (
        DisputeStatus.REGISTERED,
        DisputeStatus.ACCEPTED,
        DisputeStatus.MEDIATING,
    ):
        committees = access.committees_for_dispute_unit(d.unit).exclude(pk=d.committee_id)
        f["transfer"] = forms.TransferForm(
            data,
            committees=committees,
            third_parties=access.third_parties_for_user(user).filter(active=True),
        )
    transfer = actions.open_transfer(d)
    if s == DisputeStatus.TRANSFERRED and transfer is not None:
        if transfer.received_at is None:
            f["receive"] = forms.ReceiveForm(data)
        elif mediate and transfer.to_committee_id is None:
            f["return"] = forms.ReturnForm(data)
    agreement = d.agreement
    if mediate and s == DisputeStatus.PERFORMING and agreement is not None:
        if agreement.form == AgreementForm.WRITTEN and agreement.applied_on is None:
            f["apply"] = forms.ApplyForm(data)
        if agreement.applied_on is not None and not agreement.decision:
            f["decide"] = forms.DecideForm(data)
    if s == DisputeStatus.PERFORMING and access.may_follow_up(user, d):
        f["follow_up"] = forms.FollowUpForm(data)
    if mediate and s in (DisputeStatus.PERFORMING, DisputeStatus.ENDED):
        f["close"] = forms.NoteForm(data)
    if mediate and s in (DisputeStatus.CLOSED, DisputeStatus.REFUSED):
        f["archive"] = forms.NoteForm(data)
    if (
        mediate
        and d.source == Source.REFERRAL
        and d.referrer != Referrer.GRID
        and d.result_returned_at is None
        and (d.outcome or s == DisputeStatus.REFUSED)
    ):
        f["result_returned"] = forms.NoteForm(data)
    if mediate and d.case_id is None:
        f["link_case"] = forms.LinkCaseForm(data)
    return f


def run_step(user: User, d: Dispute, step: str, form: Any) -> str:
    c = form.cleaned_data
    if step == "accept":
        actions.do_accept_dispute(user, d, mediator=c["mediator"], note=c["note"])
        return _("已受理。")
    if step == "refuse":
        actions.do_refuse_dispute(user, d, reason=c["reason"], note=c["note"])
        return _("已决定不予受理。")
    if step == "session":
        actions.do_record_session(
            user,
            d,
            held_at=c["held_at"],
            place=c["place"],
            participants=c["participants"],
            record=c["record"],
            client_token=c["client_token"],
        )
        return _("调解记录已保存。")
    if step == "extend":
        actions.do_extend_dispute(user, d, days=c["days"], reason=c["reason"])
        return _("调解期限已延长。")
    if step == "agreement":
        actions.do_record_agreement(
            user,
            d,
            form=c["form"],
            facts=c["facts"],
            liability=c["liability"],
            terms=c["terms"],
            performance_manner=c["performance_manner"],
            performance_due_on=c["performance_due_on"],
            copies=c["copies"],
            effective_on=c["effective_on"],
        )
        return _("调解协议已登记。")
    if step == "no_agreement":
        actions.do_end_without_agreement(user, d, routes=c["routes"], note=c["note"])
        return _("调解终结,请打印告知书交当事人。")
    if step == "transfer":
        t = actions.do_transfer_dispute(
            user,
            d,
            to_type=c["to_type"],
            to_body=c["to_body"],
            to_committee=c["to_committee"],
            third_party=c["third_party"],
            reason=c["reason"],
        )
        return _("已移交%(body)s,回执号 %(receipt)s。") % {
            "body": t.to_body,
            "receipt": t.receipt_number,
        }
    if step == "receive":
        actions.do_receive_transfer(user, d, received_by_name=c["received_by_name"])
        return _("已签收移交。")
    if step == "return":
        actions.do_return_dispute(user, d, result=c["result"], settled=c["settled"])
        return _("已登记接收单位的处理结果。")
    if step == "apply":
        actions.do_apply_confirmation(user, d, court=c["court"], applied_on=c["applied_on"])
        return _("已登记司法确认申请。")
    if step == "decide":
        actions.do_record_confirmation_decision(
            user,
            d,
            decision=c["decision"],
            decided_on=c["decided_on"],
            note=c["note"],
            remediate=c["remediate"],
        )
        return _("已登记法院裁定。")
    if step == "follow_up":
        actions.do_record_follow_up(
            user, d, visited_on=c["visited_on"], result=c["result"], note=c["note"]
        )
        return _("回访已记录。")
    if step == "close":
        actions.do_close_dispute(user, d, note=c["note"])
        return _("已结案。")
    if step == "archive":
        actions.do_archive_dispute(user, d)
        return _("已归档,卷宗号 %(number)s。") % {"number": d.archive_number}
    if step == "result_returned":
        actions.do_return_result_to_referrer(user, d, note=c["note"])
        return _("已向移送单位反馈结果。")
    if step == "link_case":
        case = cases_for_user(user).filter(number=c["case_number"].strip()).first()
        if case is None:
            raise ValidationError({"case_number": _("在您的管辖范围内没有找到该办件。")})
        actions.do_link_case(user, d, case)
        return _("已关联求助办件。")
    raise Http404
