"""A scenario's expressions cannot exhaust the automation service: a value beyond the
sandbox's limits is refused at save (when it needs no input) and at a dry run with
problem+json, and fails a run with its reason while the worker goes on with the next run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from integration.automation_kit import (
    AUTHOR_SCOPES,
    Automation,
    LoopbackPlatform,
    Worker,
    automation_api,
    new_client,
    new_town,
    wait_for,
)
from integration.conftest import tax_db

from kyodo_common.db import Database
from kyodo_testing import Infrastructure

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
__all__ = ["tax_db"]  # the fixture, imported for the tests below
NAME = "sandbox-limits"
# 2,000,000 characters: beyond the sandbox's 1,000,000, and harmless to a service without it.
TOO_MANY = 2_000_000
SCENARIO = """scenario: sandbox-limits
title: 上限の確認
minutes_per_item: 1
trigger: {manual: {}}
inputs:
  n: {type: integer, required: true}
steps:
  - set:
      text: "${'x' * %s}"
outputs:
  length: "${text | length}"
"""


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("automation")


@pytest.fixture(scope="module")
def platform(infrastructure: Infrastructure, var_dir: Path) -> Iterator[LoopbackPlatform]:
    running = LoopbackPlatform(infrastructure, var_dir)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
async def api(infrastructure: Infrastructure, var_dir: Path,
              platform: LoopbackPlatform) -> AsyncIterator[httpx.AsyncClient]:
    async with automation_api(infrastructure, var_dir, platform.url) as client:
        yield client


async def test_values_beyond_the_limits_are_refused_and_the_worker_goes_on(
    infrastructure: Infrastructure, var_dir: Path, platform: LoopbackPlatform,
    api: httpx.AsyncClient, tax_db: Database,
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        town = await new_town(http, platform, tax_db)
        client_id, secret = await new_client(http, platform, town, ["tax:read"])
    staff = Automation(api, town.code)
    assert (await staff.grant(NAME, client_id, secret)).status_code == 200

    constant = await staff.save(NAME, SCENARIO % TOO_MANY)
    assert constant.status_code == 422, constant.text
    assert constant.headers["content-type"] == "application/problem+json"
    (param,) = constant.json()["invalid_params"]
    assert param["name"] == "/steps/0/set/text"
    assert "more than 1000000" in param["reason"]

    assert (await staff.save(NAME, SCENARIO % "inputs.n")).status_code == 201
    url = staff.url(f"/scenarios/{NAME}")
    tried = await api.post(f"{url}/dry-run", json={"inputs": {"n": TOO_MANY}},
                           headers=staff.headers(AUTHOR_SCOPES))
    assert tried.status_code == 422, tried.text
    assert tried.headers["content-type"] == "application/problem+json"
    assert tried.json()["invalid_params"][0]["name"] == "/steps/0/set/text"
    fine = await api.post(f"{url}/dry-run", json={"inputs": {"n": 3}},
                          headers=staff.headers(AUTHOR_SCOPES))
    assert fine.status_code == 200 and fine.json()["outputs"] == {"length": 3}

    with Worker(infrastructure, var_dir, platform.url) as worker:
        hostile = await api.post(f"{url}/runs", json={"inputs": {"n": TOO_MANY}},
                                 headers=staff.headers(AUTHOR_SCOPES))
        assert hostile.status_code == 202, hostile.text
        failed = await wait_for(lambda: staff.run_in(hostile.json()["id"], "done", "failed"),
                                60, "the hostile run")
        assert failed["state"] == "failed"
        assert "/steps/0/set/text" in failed["error"] and "more than 1000000" in failed["error"]
        benign = await api.post(f"{url}/runs", json={"inputs": {"n": 3}},
                                headers=staff.headers(AUTHOR_SCOPES))
        done = await wait_for(lambda: staff.run_in(benign.json()["id"], "done", "failed"),
                              60, "the next run")
        assert done["state"] == "done", done
        assert worker.process is not None and worker.process.poll() is None  # still running
