"""Salary-report intake through the scenario engine versus the tax import called directly.

Issue #8: a 100,000-row salary-payment-report intake through the automation engine, end to
end into assessments; rows per second, and the overhead versus calling tax's import directly.

Set-up, not measured: the whole platform started by the launcher (bench._platform); two new
municipalities (one per path) with the same synthetic 100,000 taxpayers written into tax's
register history as its owner; an identity API client with tax:write given to the scenario.

Measured, each path on its own municipality:
* **direct**: the files (5,000 rows each: the gateway and tax take up to 1 MB a request) are
  POSTed to tax's import through the gateway, one after the other (each is a job of tax's
  worker, over 2,000 rows, followed until it finished);
* **engine**: the same files are uploaded to the built-in intake scenario (its per-row for_each
  with `batch: 1000`, so one tax import call per 1,000 valid rows), and the runs are waited for:
  the worker checks each row's types, calls tax through the gateway with the scenario account's
  token and an Idempotency-Key per batch, and records every row and call in its journal;
* then, on the engine's municipality, tax's bulk assessment of the year (the "into assessments"
  part), timed until the job is done.
The overhead ratio is engine seconds / direct seconds for the intake. Do not read timings
taken while the machine is busy with anything else (see the load average in the results).

``KYODO_BENCH_AUTOMATION_ROWS=20000 python -m bench automation`` measures a smaller file.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import secrets
import time
import uuid
from datetime import date
from importlib import resources
from typing import Any

import httpx
import sqlalchemy as sa
from kyodo_client import AuthenticatedClient, Client
from kyodo_client.api.auth import token
from kyodo_client.api.automation import grant_account, new_version, run
from kyodo_client.api.clients import add_client
from kyodo_client.api.platform import add_municipality
from kyodo_client.api.staff import add_staff
from kyodo_client.api.tax import (
    bulk_assessment,
    import_file,
    import_result,
    start_bulk_assessment,
)
from kyodo_client.models import (
    AccountGrant,
    BodyToken,
    BulkRequest,
    ClientCreate,
    ClientCreated,
    ImportPublic,
    MunicipalityCreate,
    Problem,
    StaffCreate,
    TaxJobPublic,
    TokenResponse,
)
from kyodo_client.types import File
from rich.console import Console
from rich.table import Table

from bench._platform import RunningPlatform, running_platform
from bench._report import write_results
from kyodo_common.db import Database
from kyodo_common.tenancy import municipality_check_digit
from kyodo_jp.checkdigits import resident_number
from kyodo_tax.adapters.tables import register_history

NAME = "automation"
ROWS = int(os.environ.get("KYODO_BENCH_AUTOMATION_ROWS", "100000"))
QUICK_ROWS = 5_000
FILE_ROWS = 5_000
BATCH = 1_000
FY = 2025
console = Console()


def _code() -> str:
    first = f"9{secrets.randbelow(10_000):04d}"
    return first + str(municipality_check_digit(first))


def people(count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    serial = 10_000_000
    while len(found) < count:
        serial += 1
        number = resident_number(serial)
        if number is None:
            continue
        i = len(found)
        found.append({"person": uuid.UUID(int=serial), "resident": uuid.UUID(int=serial + 1 << 64),
                      "number": number, "birth": date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                      "salary": 2_000_000 + (i * 7919) % 6_000_000})
    return found


def files(population: list[dict[str, Any]]) -> list[bytes]:
    columns = ["employer_number", "resident_number", "family_name_kana", "given_name_kana",
               "birth_date", "salary_income", "social_insurance"]
    out = []
    for start in range(0, len(population), FILE_ROWS):
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(columns)
        for p in population[start:start + FILE_ROWS]:
            writer.writerow(["1234", p["number"], "ベンチ", "タロウ", p["birth"].isoformat(),
                             p["salary"], p["salary"] * 15 // 100])
        out.append(text.getvalue().encode())
    return out


async def register(platform: RunningPlatform, code: str, population: list[dict[str, Any]]
                   ) -> None:
    """The register history tax keeps from residents' events, written as its owner."""
    db = Database(platform.database("tax"), pool_size=2)
    try:
        for start in range(0, len(population), 5_000):
            rows = [{"municipality_code": code, "resident_id": p["resident"], "version": 1,
                     "platform_person_id": p["person"], "effective_date": date(2015, 4, 1),
                     "reason": "転入", "status": "resident", "resident_number": p["number"],
                     "family_name": "ベンチ", "given_name": "太郎", "family_name_kana": "ベンチ",
                     "given_name_kana": "タロウ", "birth_date": p["birth"], "sex": "male",
                     "postal_code": "9558686", "address": "旭町二丁目3番1号"}
                    for p in population[start:start + 5_000]]
            async with db.tenant_transaction(code) as session:
                await session.execute(sa.insert(register_history), rows)
    finally:
        await db.dispose()


class Town:
    """A municipality of the benchmark, set up through the generated client (clients/python):
    the contract is exercised by its own users."""

    admin: AuthenticatedClient  # set by join()
    author: AuthenticatedClient

    def __init__(self, gateway: str, code: str) -> None:
        self.gateway, self.code = gateway, code

    def client(self, token: str) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=self.gateway, token=token, timeout=httpx.Timeout(300),
                                   raise_on_unexpected_status=True)

    async def login(self, code: str, user: str, password: str) -> AuthenticatedClient:
        issued = await token.asyncio(client=_unauthenticated(self.gateway), body=BodyToken(
            grant_type="password", municipality_code=code, username=user, password=password))
        assert isinstance(issued, TokenResponse), issued
        return self.client(issued.access_token)

    async def join(self, operator: AuthenticatedClient) -> None:
        password = secrets.token_urlsafe(12)
        created = await add_municipality.asyncio_detailed(
            client=operator, idempotency_key=uuid.uuid4().hex,
            body=MunicipalityCreate.from_dict({
                "code": self.code, "name": f"ベンチ市{self.code}", "name_en": "Bench",
                "prefecture": "新潟県",
                "config": {"per_capita": {"municipal": 3000, "prefectural": 1000,
                                          "forest_env": 1000}, "kyuchi": 1},
                "admin": {"login": "admin", "initial_password": password}}))
        assert created.status_code == 201, created.content
        self.admin = await self.login(self.code, "admin", password)
        staff = await add_staff.asyncio_detailed(
            self.code, client=self.admin, idempotency_key=uuid.uuid4().hex,
            body=StaffCreate(login="rpa", initial_password=password,
                             roles=["automation_author", "tax_officer"]))
        assert staff.status_code == 201, staff.content
        self.author = await self.login(self.code, "rpa", password)

    async def scenario(self, source: str) -> None:
        created = await add_client.asyncio(self.code, client=self.admin,
                                           idempotency_key=uuid.uuid4().hex,
                                           body=ClientCreate(name="bench intake",
                                                             scopes=["tax:write"]))
        assert isinstance(created, ClientCreated), created
        granted = await grant_account.asyncio_detailed(
            self.code, "salary-report-intake", client=self.admin,
            body=AccountGrant(client_id=created.client_id,
                              client_secret=created.client_secret))
        assert granted.status_code == 200, granted.content
        # Files go through the client's synchronous calls: httpx's AsyncClient will not send
        # the file object the generated code hands it.
        saved = await asyncio.to_thread(
            new_version.sync_detailed, self.code, "salary-report-intake", client=self.author,
            idempotency_key=uuid.uuid4().hex, body=File(payload=io.BytesIO(source.encode())))
        assert saved.status_code == 201, saved.content


def _unauthenticated(gateway: str) -> Client:
    return Client(base_url=gateway, timeout=httpx.Timeout(300), raise_on_unexpected_status=True)


def batched_intake() -> str:
    """The built-in intake, its for_each batched (rows are still checked one by one)."""
    source = (resources.files("kyodo_automation") / "builtin"
              / "salary-report-intake.yaml").read_text()
    batched = source.replace("    as: row\n", f"    as: rows\n    batch: {BATCH}\n")
    batched = batched.replace('rows: ["${row}"]', "rows: ${rows}")
    batched = batched.replace('review: "tax refused the row: ${imported.problems}"',
                              'review: "tax refused rows: ${imported.problems}"\n'
                              "            items: ${imported.rejected}")
    assert batched != source
    return batched


async def direct(town: Town, payloads: list[bytes]) -> float:
    started = time.perf_counter()
    for payload in payloads:
        imported = await asyncio.to_thread(
            import_file.sync, town.code, client=town.author, fiscal_year=FY,
            idempotency_key=uuid.uuid4().hex,
            body=File(payload=io.BytesIO(payload), mime_type="text/csv"))
        assert isinstance(imported, ImportPublic), imported
        while imported.state in ("queued", "running"):  # a large file is a job of tax's worker
            await asyncio.sleep(0.2)
            imported = await asyncio.to_thread(
                import_result.sync, town.code, imported.import_id, client=town.author)
            assert isinstance(imported, ImportPublic), imported
        assert imported.state == "finished", imported.error
        assert imported.rejected == 0, imported.problems[:3]
    return time.perf_counter() - started


async def engine(town: Town, payloads: list[bytes]) -> tuple[float, dict[str, int]]:
    # The scenario's other inputs come from the query string, which the contract cannot list
    # (each scenario declares its own): the upload goes through the client's HTTP session.
    http = town.author.get_async_httpx_client()
    base = f"/v1/municipalities/{town.code}/automation"
    started = time.perf_counter()
    runs = []
    for payload in payloads:
        response = await http.post(
            f"{base}/scenarios/salary-report-intake/files?fiscal_year={FY}",
            headers={"Idempotency-Key": uuid.uuid4().hex, "Content-Type": "text/csv"},
            content=payload)
        response.raise_for_status()
        runs.append(uuid.UUID(response.json()["id"]))
    totals = {"items_done": 0, "items_failed": 0}
    for run_id in runs:
        while True:
            state = await run.asyncio(town.code, run_id, client=town.author)
            assert not isinstance(state, Problem) and state is not None, state
            if state["state"] in ("done", "failed"):
                break
            await asyncio.sleep(0.2)
        assert state["state"] == "done", state.to_dict()
        for key in totals:
            totals[key] += state[key]
    return time.perf_counter() - started, totals


async def assess(town: Town) -> tuple[float, int]:
    started = time.perf_counter()
    job = await start_bulk_assessment.asyncio(town.code, client=town.author,
                                              idempotency_key=uuid.uuid4().hex,
                                              body=BulkRequest(fiscal_year=FY))
    assert isinstance(job, TaxJobPublic), job
    while True:
        state = await bulk_assessment.asyncio(town.code, job.id, client=town.author)
        assert isinstance(state, TaxJobPublic), state
        if state.state in ("finished", "failed"):
            break
        await asyncio.sleep(0.5)
    assert state.state == "finished", state
    return time.perf_counter() - started, int(state.assessed)


async def _measure(platform: RunningPlatform, rows: int) -> dict[str, Any]:
    population = people(rows)
    payloads = files(population)
    gateway = platform.gateway
    operator = await Town(gateway, "000000").login("000000", "operator", "kyodo-operator")
    direct_town, engine_town = Town(gateway, _code()), Town(gateway, _code())
    for town in (direct_town, engine_town):
        await town.join(operator)
        await register(platform, town.code, population)
    await engine_town.scenario(batched_intake())
    direct_seconds = await direct(direct_town, payloads)
    engine_seconds, totals = await engine(engine_town, payloads)
    assess_seconds, assessed = await assess(engine_town)
    assert totals == {"items_done": rows, "items_failed": 0}, totals
    assert assessed == rows, assessed
    return {"rows": rows, "files": len(payloads), "batch": BATCH,
            "direct_seconds": direct_seconds, "direct_rows_per_second": rows / direct_seconds,
            "engine_seconds": engine_seconds, "engine_rows_per_second": rows / engine_seconds,
            "overhead_ratio": engine_seconds / direct_seconds,
            "bulk_assessment_seconds": assess_seconds, "assessed": assessed,
            "end_to_end_rows_per_second": rows / (engine_seconds + assess_seconds),
            "load_average_after": list(os.getloadavg())}


def main(*, quick: bool = False) -> dict[str, Any]:
    rows = QUICK_ROWS if quick else ROWS
    with running_platform() as platform:
        figures = asyncio.run(_measure(platform, rows))
    table = Table(title=f"salary-report intake, {rows:,} rows")
    table.add_column("path")
    table.add_column("seconds", justify="right")
    table.add_column("rows/s", justify="right")
    table.add_row("tax import, direct", f"{figures['direct_seconds']:.1f}",
                  f"{figures['direct_rows_per_second']:,.0f}")
    table.add_row(f"scenario engine (batch {BATCH})", f"{figures['engine_seconds']:.1f}",
                  f"{figures['engine_rows_per_second']:,.0f}")
    table.add_row("then bulk assessment", f"{figures['bulk_assessment_seconds']:.1f}", "")
    console.print(table)
    console.print(f"overhead: {figures['overhead_ratio']:.2f}× the direct import; "
                  f"load average after: {figures['load_average_after']}")
    path = write_results(NAME, {**figures, "quick": quick})
    console.print(f"[dim]results: {path}[/]")
    return figures
