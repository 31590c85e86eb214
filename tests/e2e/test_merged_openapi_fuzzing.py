"""schemathesis against the gateway's merged OpenAPI, as a clerk and as a tenant admin."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
# Fuzzing as an admin really disables staff, changes roles and revokes grants: each caller
# fuzzes a municipality that no other end-to-end test uses.
UONUMA, AWASHIMAURA = "152251", "155861"


@pytest.mark.parametrize(("code", "login", "password"), [
    (AWASHIMAURA, "clerk", "kyodo-clerk"), (UONUMA, "admin", "kyodo-admin")])
def test_no_operation_of_the_platform_answers_a_server_error(
    platform: RunningPlatform, tmp_path: Path, code: str, login: str, password: str,
) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[parameters]\n"path.code" = "{code}"\n')
    token = platform.login(code, login, password)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config),
         "run", f"{platform.gateway}/openapi.json", "--checks", "not_a_server_error",
         "--max-examples", "10", "--phases", "examples,coverage,fuzzing",
         "--request-timeout", "10", "--generation-deterministic", "--no-color",
         # The upload form of verification takes a PDF body, which schemathesis cannot
         # generate; the certificates tests upload real and tampered PDFs instead.
         "--exclude-path", "/v1/certificates/verify",
         # Logins and password changes with generated credentials would only meet the login
         # throttle (429); tests/integration/test_identity_* and tests/security cover them.
         "--exclude-path", "/v1/auth/token", "--exclude-path", "/v1/auth/password",
         "-H", f"Authorization: Bearer {token}", "-H", "X-Kyodo-Purpose: system-check"],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    operations = re.search(r"Tested: (\d+)", result.stdout)
    counts = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert operations is not None and int(operations[1]) > 50, result.stdout[-3000:]
    assert counts is not None and int(counts[1]) == int(counts[2]) > 1000
