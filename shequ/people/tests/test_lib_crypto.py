"""Field encryption, the blind index, masking and phone numbers (Django-free helpers)."""

from __future__ import annotations

import secrets

import pytest

from shequ.lib.crypto import FieldCipher, InvalidToken, fernet_key, key_id, new_fernet_key
from shequ.lib.masking import mask_id_number, mask_phone
from shequ.lib.phone import normalise_mobile


def test_it_round_trips_and_uses_a_fresh_iv() -> None:
    c = FieldCipher([new_fernet_key()], "index-key")
    a, b = c.encrypt("422801199001010019"), c.encrypt("422801199001010019")
    assert a != b
    assert "422801199001010019" not in a
    assert c.decrypt(a) == c.decrypt(b) == "422801199001010019"


def test_it_reads_old_tokens_after_a_new_key_is_put_first() -> None:
    old, new = new_fernet_key(), new_fernet_key()
    token = FieldCipher([old], "k").encrypt("13812345678")
    rotated_cipher = FieldCipher([new, old], "k")
    assert rotated_cipher.decrypt(token) == "13812345678"
    rotated = rotated_cipher.rotate(token)
    assert FieldCipher([new], "k").decrypt(rotated) == "13812345678"
    with pytest.raises(InvalidToken):
        FieldCipher([new], "k").decrypt(token)
    assert rotated_cipher.current_key_id == key_id(new) != key_id(old)


def test_the_blind_index_is_stable_keyed_and_separated_by_purpose() -> None:
    a = FieldCipher([new_fernet_key()], "index-key")
    b = FieldCipher([new_fernet_key()], "index-key")  # other field keys, same index key
    assert a.blind_index("x", purpose="id") == b.blind_index("x", purpose="id")
    assert a.blind_index("x", purpose="id") != a.blind_index("x", purpose="phone")
    assert a.blind_index("x", purpose="id") != FieldCipher([new_fernet_key()], "other").blind_index(
        "x", purpose="id"
    )


def test_it_accepts_an_unpadded_token_urlsafe_key_and_refuses_junk() -> None:
    raw = secrets.token_urlsafe(32)
    assert len(fernet_key(raw)) == 44
    FieldCipher([raw], "k").encrypt("x")
    with pytest.raises(ValueError):
        fernet_key("too-short")
    with pytest.raises(ValueError):
        FieldCipher([], "k")


def test_masks() -> None:
    assert mask_id_number("422801199001010019") == "4228************19"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("123") == "***"


@pytest.mark.parametrize(
    "raw", ["13812345678", "138 1234 5678", "+86 138-1234-5678", "１３８１２３４５６７８"]
)
def test_it_normalises_mobiles(raw: str) -> None:
    assert normalise_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["", "1381234567", "23812345678", "0718-8221234"])
def test_it_refuses_non_mobiles(raw: str) -> None:
    with pytest.raises(ValueError, match="11位"):
        normalise_mobile(raw)
