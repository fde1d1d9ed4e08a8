"""No portal page answers 500 to a resident's strange parameters or form fields
(the same values as the project's page fuzz test, which signs in as staff)."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.test import Client

from shequ.people.models import Resident
from shequ.portal.tests.conftest import SignIn
from shequ.portal.tests.test_requests import MINE, submit
from shequ.portal.urls import urlpatterns

VALUES = ["99999999999999999999", "-1", "1%00", "%ED%A0%80", "%FF%FE", "x" * 20000]
PARAMS = ["q", "community", "next", "apply", "page"]
_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_no_portal_page_answers_500_to_a_resident(sign_in: SignIn, resident: Resident) -> None:
    c = sign_in(MINE)
    case = submit(c)
    c.raise_request_exception = False
    ids = {"case_id": str(case.pk), "code": case.item.code, "photo_id": "1", "callback_id": "1"}
    failures = []
    for pattern in urlpatterns:
        route = str(pattern.pattern)
        if route.startswith(("signout", "portal-staff")):
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids.get(m.group(1), "1"), route)
        page = c.get(path)
        text = page.content.decode(errors="replace") if page.status_code == 200 else ""
        fields = sorted(set(_FIELD.findall(text)) - {"csrfmiddlewaretoken"})
        csrf = _CSRF.search(text)
        for value in VALUES:
            got = c.get(path, QUERY_STRING="&".join(f"{n}={value}" for n in PARAMS + fields))
            if got.status_code >= 500:
                failures.append(f"GET {path} {value[:20]} → {got.status_code}")
            body = "&".join(f"{quote(n)}={value}" for n in fields or PARAMS)
            if csrf:
                body += f"&csrfmiddlewaretoken={csrf.group(1)}"
            posted = c.post(path, body, content_type="application/x-www-form-urlencoded")
            if posted.status_code >= 500:
                failures.append(f"POST {path} {value[:20]} → {posted.status_code}")
    assert not failures, "\n".join(failures)
    assert isinstance(c, Client)
