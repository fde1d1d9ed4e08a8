"""The portal's phone numbers follow a key rotation and stay readable and findable."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import override_settings

from conftest import Personas
from shequ.lib.crypto import new_fernet_key
from shequ.orgs.crypto import cipher
from shequ.portal import actions
from shequ.portal.models import Account


def test_rotation_re_encrypts_accounts_under_the_new_key(personas: Personas) -> None:
    old, new = new_fernet_key(), new_fernet_key()
    with override_settings(SHEQU_FIELD_KEYS=[old]):
        account = actions.do_open_account("13900005555")
        first_key = account.key_id
    with override_settings(SHEQU_FIELD_KEYS=[new, old]):
        out = io.StringIO()
        call_command("rotate_portal_keys", stdout=out)
        assert "re-encrypted 1" in out.getvalue()
        account.refresh_from_db()
        assert account.key_id == cipher().current_key_id != first_key
    with override_settings(SHEQU_FIELD_KEYS=[new]):  # the old key may go
        assert actions.account_phone(account) == "13900005555"
        assert Account.objects.get(phone_index=actions.phone_index("13900005555")) == account
