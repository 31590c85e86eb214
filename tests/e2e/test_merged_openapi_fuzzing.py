"""schemathesis against the gateway's merged OpenAPI, as a clerk, as a tenant admin and as a
partner clerk acting for another town under a support grant."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
# Fuzzing as an admin really disables staff, changes roles and revokes grants: each caller
# fuzzes a municipality that no other end-to-end test uses.
UONUMA, AWASHIMAURA, TSUKUBA, MITSUKE = "152251", "155861", "082201", "152111"
PARTNER_PASSWORD = "fuzzing-partner-1234"
# No server error, and every answer as the contract documents it: its status, content type,
# body schema and headers (#16: a client generated from the contract must not meet surprises).
CHECKS = ",".join(("not_a_server_error", "status_code_conformance", "content_type_conformance",
                   "response_schema_conformance", "response_headers_conformance"))


def _partner_token(platform: RunningPlatform) -> str:
    """A clerk of 見附市 lent つくば市's counter work (every grantable scope) for a day, once
    the gateway applies the grant."""
    base = f"{platform.gateway}/v1/municipalities"

    def admin(code: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {platform.login(code, 'admin', 'kyodo-admin')}",
                "Idempotency-Key": uuid.uuid4().hex}

    login = f"fuzz-{uuid.uuid4().hex[:8]}"
    staff = httpx.post(f"{base}/{MITSUKE}/identity/staff", headers=admin(MITSUKE), json={
        "login": login, "initial_password": PARTNER_PASSWORD, "roles": ["counter_clerk"]},
        timeout=10)
    assert staff.status_code == 201, staff.text
    grant = httpx.post(f"{base}/{TSUKUBA}/identity/support-grants", headers=admin(TSUKUBA),
                       json={"grantee": {"municipality_code": MITSUKE, "login": login},
                             "scopes": ["residents:read", "residents:write",
                                        "certificates:issue", "disaster:read",
                                        "disaster:write", "tax:read"],
                             "valid_until": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
                       timeout=10)
    assert grant.status_code == 201, grant.text
    token = platform.login(MITSUKE, login, PARTNER_PASSWORD)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the grant reaches the gateway within 2 s
        probe = httpx.post(f"{base}/{TSUKUBA}/residents/search", json={"kana_prefix": "ア"},
                           headers={"Authorization": f"Bearer {token}",
                                    "X-Kyodo-Purpose": "system-check"}, timeout=10)
        if probe.status_code == 200:
            return token
        time.sleep(0.2)
    raise AssertionError(f"the grant did not apply: {probe.status_code} {probe.text}")


@pytest.mark.parametrize(("code", "caller"), [
    (AWASHIMAURA, "clerk"), (UONUMA, "admin"), (TSUKUBA, "partner")])
def test_no_operation_of_the_platform_answers_a_server_error(
    platform: RunningPlatform, tmp_path: Path, code: str, caller: str,
) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[parameters]\n"path.code" = "{code}"\n')
    token = _partner_token(platform) if caller == "partner" else platform.login(
        code, caller, f"kyodo-{caller}")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config),
         "run", f"{platform.gateway}/openapi.json", "--checks", CHECKS,
         "--max-examples", "10", "--phases", "examples,coverage,fuzzing",
         "--request-timeout", "10", "--generation-deterministic", "--no-color",
         # The upload form of verification takes a PDF body, which schemathesis cannot
         # generate; the certificates tests upload real and tampered PDFs instead.
         "--exclude-path", "/v1/certificates/verify",
         # Logins and password changes with generated credentials would only meet the login
         # throttle (429); tests/integration/test_identity_* and tests/security cover them.
         "--exclude-path", "/v1/auth/token", "--exclude-path", "/v1/auth/password",
         # Logging out would end the session the rest of the run uses (tests/security).
         "--exclude-path", "/v1/auth/logout",
         "-H", f"Authorization: Bearer {token}", "-H", "X-Kyodo-Purpose: system-check"],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, _failures(result.stdout) + result.stderr[-2000:]
    operations = re.search(r"Tested: (\d+)", result.stdout)
    counts = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert operations is not None and int(operations[1]) > 50, result.stdout[-3000:]
    assert counts is not None and int(counts[1]) == int(counts[2]) > 1000


def _failures(report: str) -> str:
    """The report's failures (which operation, what it answered, the curl to replay it) and
    its summary: the long list of warned operations between them is left out."""
    start = report.find("FAILURES")
    warnings = report.find("WARNINGS")
    summary = report.find("SUMMARY")
    failures = report[start:warnings if warnings > start else summary] if start >= 0 else ""
    return failures[:8000] + "\n" + report[summary:] if summary >= 0 else report[-6000:]
