"""The photos a resident sent with an online request, for the staff's case page
(``services.case_files``): only those the user's scope reaches, as the serving view
(``staff_photo``) checks."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from shequ.orgs import access
from shequ.orgs.access import AnyUser
from shequ.portal.models import RequestPhoto
from shequ.services.case_files import CaseFile
from shequ.services.models import Case


def photos_of_case(case: Case, user: AnyUser) -> Iterable[CaseFile]:
    photos = RequestPhoto.objects.filter(access.scope_q(user), request__case=case).order_by("pk")
    for number, photo in enumerate(photos, start=1):
        yield CaseFile(
            _("材料照片 %(number)d") % {"number": number},
            reverse("portal:staff_photo", args=[photo.pk]),
        )
