"""The JSON API proven by a client nobody here wrote: ``openapi-python-client`` (PyPI)
generates a Python package from the live server's /api/v1/openapi.json, and that
package, imported in a fresh interpreter, drives the server the browser tests use.

The demo clerk and the demo agent each make a personal token on /me/tokens/ in Chromium,
as a person would. With the clerk's token the client lists cases, registers one (twice
with one ``Idempotency-Key``: one case), and accepts it; with the agent's token it lists
authorisations. The generator runs with ``--fail-on-warning``: a schema change that a
generated client cannot follow fails the suite.

The generator is not a dependency of the project: the test installs it (pinned) into a
virtualenv of its own under the temporary directory, once, and fails if it cannot.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser

GENERATOR = "openapi-python-client==0.29.1"


def _generator_home() -> Path:
    """A virtualenv holding the generator, and with it httpx and attrs, all a generated
    client needs. ``SHEQU_OPENAPI_CLIENT_VENV`` names another place for it."""
    default = Path(tempfile.gettempdir()) / f"shequ-{GENERATOR.replace('==', '-')}"
    home = Path(os.environ.get("SHEQU_OPENAPI_CLIENT_VENV", default))
    marker = home / f".installed-{GENERATOR}"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(home)], check=True)
        subprocess.run(
            [home / "bin" / "python", "-m", "pip", "install", "-q", GENERATOR], check=True
        )
        marker.touch()
    return home


def _token(browser: Any, url: str, username: str) -> str:
    context = browser.new_context(base_url=url, locale="zh-CN")
    try:
        page = context.new_page()
        sign_in(page, username)
        page.goto("/me/tokens/")
        page.get_by_label("令牌名称").fill("generated client test")
        page.get_by_role("button", name="创建令牌").click()
        secret = page.locator("code.user-select-all").inner_text().strip()
        assert secret.startswith("shq_"), secret
        return secret
    finally:
        context.close()


DRIVER = textwrap.dedent(
    """
    import json
    import sys

    sys.path.insert(0, sys.argv[1])
    from shequ_client import AuthenticatedClient
    from shequ_client.api.agency import agency_list_authorizations
    from shequ_client.api.orgs import orgs_unit_roots
    from shequ_client.api.services import (
        services_case_step,
        services_create_case,
        services_list_cases,
    )
    from shequ_client.models import CaseIn, CaseOut, CasePage, ErrorOut, StepIn

    base, clerk_token, agent_token = sys.argv[2:5]
    clerk = AuthenticatedClient(base_url=base, token=clerk_token, raise_on_unexpected_status=True)
    agent = AuthenticatedClient(base_url=base, token=agent_token, raise_on_unexpected_status=True)
    out = {}

    before = services_list_cases.sync(client=clerk, page_size=5)
    assert isinstance(before, CasePage), before
    out["cases_before"] = before.count
    out["listed"] = len(before.items)

    community = orgs_unit_roots.sync(client=clerk)[0]
    body = CaseIn(
        unit_id=community.id,
        item="MZ-001",
        applicant_kind="caller",
        contact_name="向女士",
        contact_phone="13972700002",
        summary="generated client",
    )
    first = services_create_case.sync(client=clerk, body=body, idempotency_key="gen-client-1")
    again = services_create_case.sync(client=clerk, body=body, idempotency_key="gen-client-1")
    assert isinstance(first, CaseOut) and isinstance(again, CaseOut), (first, again)
    out["created"] = [first.id, again.id]
    out["status_created"] = first.status
    out["steps_offered"] = list(first.steps)

    accepted = services_case_step.sync(first.id, "accept", client=clerk, body=StepIn())
    assert isinstance(accepted, CaseOut), accepted
    out["status_after"] = accepted.status
    out["due_at"] = accepted.due_at.isoformat() if accepted.due_at else None
    lost = services_case_step.sync(first.id, "accept", client=clerk, body=StepIn())
    assert isinstance(lost, ErrorOut), lost
    out["second_accept"] = lost.detail

    after = services_list_cases.sync(client=clerk, page_size=5)
    out["cases_after"] = after.count

    auths = agency_list_authorizations.sync(client=agent)
    out["authorizations"] = auths.count
    out["authorization_phones"] = [a.family_phone for a in auths.items]
    out["clerk_sees_authorizations"] = agency_list_authorizations.sync(client=clerk).count
    print(json.dumps(out, ensure_ascii=False))
    """
)


def test_a_generated_client_lists_creates_and_moves_a_case_and_lists_authorisations(
    live_server_url: str, browser: Any, tmp_path: Path
) -> None:
    home = _generator_home()
    with urllib.request.urlopen(f"{live_server_url}/api/v1/openapi.json", timeout=30) as r:
        schema = json.load(r)
    (tmp_path / "openapi.json").write_text(json.dumps(schema, ensure_ascii=False))
    (tmp_path / "config.yaml").write_text(
        "post_hooks: []\npackage_name_override: shequ_client\nproject_name_override: shequ-client\n"
    )
    generated = subprocess.run(
        [
            home / "bin" / "openapi-python-client",
            "generate",
            "--path",
            tmp_path / "openapi.json",
            "--meta",
            "none",
            "--output-path",
            tmp_path / "client" / "shequ_client",
            "--config",
            tmp_path / "config.yaml",
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    api = tmp_path / "client" / "shequ_client" / "api"
    modules = [f for f in api.rglob("*.py") if f.name != "__init__.py"]
    in_schema = sum(len(item) for item in schema["paths"].values())
    assert len(modules) == in_schema  # a module for every operation: none was dropped

    clerk = _token(browser, live_server_url, "clerk")
    agent = _token(browser, live_server_url, "agent")
    (tmp_path / "driver.py").write_text(DRIVER)
    run = subprocess.run(
        [
            home / "bin" / "python",
            tmp_path / "driver.py",
            tmp_path / "client",
            live_server_url,
            clerk,
            agent,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["cases_before"] > 0 and out["listed"] == 5
    assert out["created"][0] == out["created"][1]  # one Idempotency-Key, one case
    assert out["cases_after"] == out["cases_before"] + 1
    assert out["status_created"] == "received" and "accept" in out["steps_offered"]
    assert out["status_after"] == "accepted" and out["due_at"]
    assert out["second_accept"]  # a lost race is an ErrorOut, not a crash
    assert out["authorizations"] >= 1
    assert all("*" in phone for phone in out["authorization_phones"] if phone)  # masked
    assert out["clerk_sees_authorizations"] >= 1  # the same community's clerk
