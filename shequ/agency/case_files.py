"""The scans agency keeps for a services case, for the case page (``services.case_files``):
a village matter's materials and an agency case's signed authorisation, each only for a
user its own access helper lets see it (the serving view checks the same)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from shequ.agency import access
from shequ.agency.models import AgencyItem, RemoteMatter
from shequ.orgs.access import AnyUser
from shequ.services.case_files import CaseFile
from shequ.services.models import Case


def scans_of_case(case: Case, user: AnyUser) -> Iterable[CaseFile]:
    matter = RemoteMatter.objects.filter(case=case).first()
    if matter is not None and matter.scan:
        try:
            access.get_matter_for_user(user, matter.pk)
        except Http404:
            pass
        else:
            yield CaseFile(_("材料扫描件"), reverse("agency:matter_scan", args=[matter.pk]))
    entry = (
        AgencyItem.objects.filter(case=case).select_related("agency_case__authorization").first()
    )
    if entry is not None and entry.agency_case.authorization.form_scan:
        auth = entry.agency_case.authorization
        try:
            access.get_authorization_for_user(user, auth.pk)
        except Http404:
            return
        yield CaseFile(_("签字授权书扫描件"), reverse("agency:authorization_scan", args=[auth.pk]))
