"""schemathesis against the gateway's merged OpenAPI, as a clerk and as a tenant admin."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
SANJO = "152048"


@pytest.mark.parametrize(("login", "password"), [("clerk", "kyodo-clerk"),
                                                 ("admin", "kyodo-admin")])
def test_no_operation_of_the_platform_answers_a_server_error(
    platform: RunningPlatform, tmp_path: Path, login: str, password: str,
) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[parameters]\n"path.code" = "{SANJO}"\n')
    token = platform.login(SANJO, login, password)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config),
         "run", f"{platform.gateway}/openapi.json", "--checks", "not_a_server_error",
         "--max-examples", "10", "--phases", "examples,coverage,fuzzing",
         "--request-timeout", "10", "--generation-deterministic", "--no-color",
         # The upload form of verification takes a PDF body, which schemathesis cannot
         # generate; the certificates tests upload real and tampered PDFs instead.
         "--exclude-path", "/v1/certificates/verify",
         "-H", f"Authorization: Bearer {token}", "-H", "X-Kyodo-Purpose: fuzzing"],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    operations = re.search(r"Tested: (\d+)", result.stdout)
    counts = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert operations is not None and int(operations[1]) > 50, result.stdout[-3000:]
    assert counts is not None and int(counts[1]) == int(counts[2]) > 1000
