"""The audit log never holds ciphertext: the family contact's phone appears masked, the
signed form as its file name."""

from __future__ import annotations

import json

from shequ.agency.tests.conftest import FAMILY_PHONE, Authorize
from shequ.orgs.crypto import cipher
from shequ.orgs.models import Event


def test_the_authorisation_event_records_the_phone_masked_not_encrypted(
    authorize: Authorize,
) -> None:
    auth = authorize()
    event = Event.objects.get(verb="agency.authorization_registered", object_id=str(auth.pk))
    after = event.after or {}
    logged = json.dumps(after, ensure_ascii=False)
    assert after["family_phone"] == auth.family_phone_masked
    assert "family_phone_enc" not in after
    assert auth.family_phone_enc not in logged and FAMILY_PHONE not in logged
    assert cipher().decrypt(auth.family_phone_enc) == FAMILY_PHONE  # stored, just not logged
    assert after["form_scan"] == auth.form_scan.name
