"""Every message of the lib validators is in the registry's catalogue, in English."""

from __future__ import annotations

from django.utils import translation

from shequ.lib import idcard, phone
from shequ.people.lib_messages import LIB_MESSAGES


def test_every_lib_message_is_listed_and_translated() -> None:
    messages = [v for k, v in vars(idcard).items() if k.startswith("MSG_")] + [phone.MSG_MOBILE]
    assert sorted(messages) == sorted(LIB_MESSAGES)
    with translation.override("en"):
        for message in messages:
            assert translation.gettext(message) != message, message
