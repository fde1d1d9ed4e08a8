from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


overview = authorization_new = authorization_detail = case_new = case_detail = _todo
point_list = point_detail = matter_new = figures = _todo
