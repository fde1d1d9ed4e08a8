"""Unified social credit codes (统一社会信用代码, GB 32100-2015) for tests and the demo.

Validation is python-stdnum's ``cn.uscc``; this only builds well-formed codes."""

from __future__ import annotations

from stdnum.cn import uscc

# GB 11714 organisation-code check: weights of the first eight characters, mod 11.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _org_check(body: str) -> str:
    total = sum(_ORG_ALPHABET.index(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return {10: "X", 11: "0"}.get(digit, str(digit))


def make_credit_code(region: str, serial: int, *, authority: str = "9", kind: str = "1") -> str:
    """A valid code: authority (9 市场监管), entity kind (1 企业), the six-digit region,
    an organisation code built from ``serial`` with its own check, then the USCC check."""
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region must be a six-digit division code")
    body = f"{serial % 10**8:08d}"
    head = f"{authority}{kind}{region}{body}{_org_check(body)}"
    return head + uscc.calc_check_digit(head)
