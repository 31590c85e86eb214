"""After a flood: 10,000 surveyed houses imported through the gateway, made ready for their
罹災証明書 by one certificate job, and the certificates issued. Time and rate of each step.

The launcher starts the whole platform on loopback. Setup (not timed): a disaster-support
clerk is added to Sanjo through identity, and one resident per house (the applicant for its
certificate, 世帯主 of a household of one) is put in the register read models of the disaster
and certificates services. Then, per run, a new disaster is declared and:

* **import**: the field-survey CSV (one row per house: 一次調査, damage ratio, the applicant's
  宛名番号) is POSTed to `…/disaster/disasters/{id}/surveys/import` through the gateway in parts
  under the gateway's 1 MB body limit; each part is one transaction with its houses, surveys,
  applications, events and access log;
* **job**: every application is listed and one certificate job marks them ready; it runs in
  the disaster worker, chunk by chunk, and is followed by polling its progress;
* **events**: the time until the relay has published every event of the run (the outbox is
  empty): 2 events per house (assessed, then assessed with the certificate requested);
* **certificates**: the certificates service consumes ``kyodo.disaster.v1``, records each
  house's request and its worker issues the 罹災証明書 (one per house here: one applicant,
  one copy; PDF drawn, signed, sealed, logged, announced), in chunks. Followed as a clerk
  would, through the gateway (`GET …/certificates/damage/disasters/{id}`): the time from the
  job's request until every requested certificate is issued, the rate, and the CPU per
  certificate of each process over that window (the disaster worker's share is the job's
  marking and republishing; the certificates worker's is the issuance).

Side by side in every run, on the same machine at the same time:
* the same CSV parsed and graded in this process (the domain rules alone, no I/O);
* the database floor: the same number of rows COPYed into three temporary tables shaped like
  houses, surveys and the outbox, in one transaction of the disaster database.
So `import / floor` says what the service adds to writing the rows at all.
"""

from __future__ import annotations

import asyncio
import json
import math
import secrets
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import asyncpg
from kyodo_residents_events import ResidentState
from rich.console import Console
from rich.table import Table

from bench._cpu import cpu_seconds, used_between
from bench._platform import RunningPlatform, running_platform
from bench._report import fmt, summarise, write_results
from kyodo_common.clock import today_in_japan
from kyodo_disaster.domain.addresses import address_key
from kyodo_disaster.domain.field_csv import parse
from kyodo_disaster.domain.survey import assess

NAME = "disaster"
SANJO = "152048"
HOUSES, QUICK_HOUSES = 10_000, 1_000
RUNS, QUICK_RUNS = 3, 1
# About 260 KB of CSV (under the gateway's 1 MB body limit), and no more rows than
# KYODO_DISASTER_IMPORT_SYNC_ROWS: each part is imported within its request (a larger one is
# queued as a job and answered 202), so the timing covers the import itself.
PART_ROWS = 2_000
TIME_LIMIT_SECONDS = 1_500
CERTIFICATE_WAIT_SECONDS = 60  # for the first request to reach certificates
ISSUE_TIMEOUT_SECONDS = 1_200  # 10,000 PDFs at about 10 ms of CPU each, on a shared machine
PROCESSES = ("gateway", "disaster", "disaster-worker", "certificates", "certificates-worker",
             "postgres", "broker")
PURPOSE = "disaster-response"
AREA = "旭町二丁目"
HEADER = ("survey_ref,postal_code,address,survey_kind,damage_ratio,surveyed_on,"
          "applicant_resident_number,copies\n")

console = Console() if sys.stdout.isatty() else Console(width=160)


@dataclass
class Clerks:
    """The token (15 minutes) of a disaster-support clerk added for the benchmark."""

    disaster: str = ""
    login: str = field(default_factory=lambda: f"bench-{secrets.token_hex(3)}")
    password: str = field(default_factory=lambda: "Bench-" + secrets.token_urlsafe(18))


async def _token(session: aiohttp.ClientSession, gateway: str, username: str,
                 password: str) -> str:
    form = {"grant_type": "password", "municipality_code": SANJO, "username": username,
            "password": password}
    async with session.post(f"{gateway}/v1/auth/token", data=form) as response:
        response.raise_for_status()
        token: str = (await response.json())["access_token"]
        return token


async def _clerks(session: aiohttp.ClientSession, gateway: str) -> Clerks:
    clerks = Clerks()
    admin = await _token(session, gateway, "admin", "kyodo-admin")
    async with session.post(
        f"{gateway}/v1/municipalities/{SANJO}/identity/staff",
        json={"login": clerks.login, "initial_password": clerks.password,
              "roles": ["disaster_support"]},
        headers={"Authorization": f"Bearer {admin}", "Idempotency-Key": uuid.uuid4().hex},
    ) as response:
        if response.status != 201:
            raise RuntimeError(f"staff: {response.status} {await response.text()}")
    await _refresh(session, gateway, clerks)
    return clerks


async def _refresh(session: aiohttp.ClientSession, gateway: str, clerks: Clerks) -> None:
    clerks.disaster = await _token(session, gateway, clerks.login, clerks.password)


def _headers(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Kyodo-Purpose": PURPOSE, **extra}


def _address(n: int) -> str:
    return f"新潟県三条市旭町二丁目{n + 1}番1号"


async def _seed_read_models(owners: dict[str, asyncpg.Connection], count: int) -> list[str]:
    """One resident per house, the 世帯主 of a household of one, in the register read models
    of the disaster service (who lives where, who applies) and of the certificates service
    (the name a 罹災証明書 prints), COPYed as the databases' owner: the rows their consumers
    write from ResidentRegistered. Registering 10,000 people through the residents API would
    take minutes on a shared 2-core machine and is measured by bench/residents.py; the chain
    itself (register → event → read models) is tested in tests/integration and tests/e2e."""
    run = secrets.randbelow(9_000) + 1_000
    numbers = [f"{run:04d}{n:06d}" for n in range(count)]
    people = [ResidentState(
        resident_id=uuid.uuid4(), platform_person_id=uuid.uuid4(), resident_number=numbers[n],
        version=1, status="resident", family_name="三条", given_name=f"被災{n}",
        family_name_kana="サンジョウ", given_name_kana="ヒサイ", birth_date=date(1970, 1, 1),
        sex="female", nationality="JP", household_id=uuid.uuid4(), household_number=None,
        relationship="世帯主", postal_code="9558686", address=_address(n),
        became_resident_on=date(2000, 4, 1)) for n in range(count)]
    await owners["disaster"].copy_records_to_table("residents", records=[
        (p.resident_id, SANJO, p.resident_number, 1, "resident", p.family_name, p.given_name,
         p.family_name_kana, p.given_name_kana, p.birth_date, p.household_id, p.relationship,
         p.postal_code, p.address, address_key(p.address), False, uuid.uuid4())
        for p in people], columns=[
        "resident_id", "municipality_code", "resident_number", "version", "status",
        "family_name", "given_name", "family_name_kana", "given_name_kana", "birth_date",
        "household_id", "relationship", "postal_code", "address", "address_key", "protected",
        "last_event_id"])
    await owners["certificates"].copy_records_to_table("resident_snapshots", records=[
        (p.resident_id, SANJO, p.resident_number, p.family_name, p.given_name,
         p.family_name_kana, p.given_name_kana, p.birth_date, p.sex, p.postal_code, p.address,
         p.became_resident_on, uuid.uuid4(), 1, "resident", p.household_id, False,
         json.dumps(p.model_dump(mode="json"), ensure_ascii=False)) for p in people], columns=[
        "resident_id", "municipality_code", "resident_number", "family_name", "given_name",
        "family_name_kana", "given_name_kana", "birth_date", "sex", "postal_code", "address",
        "registered_on", "last_event_id", "version", "status", "household_id", "protected",
        "state"])
    return numbers


async def _until(check: Any, timeout: float, what: str, interval: float = 0.1) -> float:
    """Polls ``check()`` until true; returns the seconds it took."""
    started = time.perf_counter()
    while not await check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(interval)
    return time.perf_counter() - started


def _csv_parts(run: int, numbers: list[str], today: date) -> list[str]:
    rows = [f"R{run}-{n:05d},955-8686,{_address(n)},一次調査,{(n * 7919) % 10000 / 100:.2f},"
            f"{today.isoformat()},{numbers[n]},1" for n in range(len(numbers))]
    return [HEADER + "\n".join(rows[i:i + PART_ROWS]) + "\n"
            for i in range(0, len(rows), PART_ROWS)]


def _reference_parse(parts: list[str], occurred_on: date, today: date) -> float:
    """The domain alone: parse every row and grade it, in this process."""
    started = time.perf_counter()
    for part in parts:
        rows, errors = parse(part)
        assert not errors, errors[:3]
        for row in rows:
            assess(row.survey, occurred_on=occurred_on, today=today,
                   self_assessment_below=Decimal("10"))
    return time.perf_counter() - started


async def _reference_copy(owner: asyncpg.Connection, count: int) -> float:
    """The database floor: COPY the same number of rows into tables shaped like the three the
    import writes most (houses, surveys, outbox), in one transaction, then drop them."""
    houses = [(uuid.uuid4(), SANJO, uuid.uuid4(), "9558686", _address(n), _address(n),
               [uuid.uuid4()], 1, 2) for n in range(count)]
    surveys = [(uuid.uuid4(), SANJO, h[0], 1, "first", "site", Decimal("35.5"), "half",
                date.today(), "bench", SANJO, "[]", "x" * 64) for h in houses]
    events = [(uuid.uuid4(), SANJO, "kyodo.disaster.v1", str(h[0]), "t", "s",
               json.dumps({"house_id": str(h[0]), "address": h[4], "grade": "半壊",
                           "occupant_resident_ids": [str(uuid.uuid4())]}, ensure_ascii=False))
              for h in houses]
    started = time.perf_counter()
    async with owner.transaction():
        await owner.execute("""
            CREATE TEMP TABLE ref_houses (id uuid, municipality_code char(6), disaster_id uuid,
              postal_code char(7), address text, address_key text, occupant_ids uuid[],
              survey_version int, version int) ON COMMIT DROP;
            CREATE TEMP TABLE ref_surveys (id uuid, municipality_code char(6), house_id uuid,
              version int, kind text, method text, damage_ratio numeric(5,2), grade text,
              surveyed_on date, surveyor text, surveyor_home char(6), photos jsonb,
              fingerprint text) ON COMMIT DROP;
            CREATE TEMP TABLE ref_outbox (event_id uuid, municipality_code char(6), topic text,
              key text, type text, source text, data jsonb) ON COMMIT DROP;""")
        await owner.copy_records_to_table("ref_houses", records=houses)
        await owner.copy_records_to_table("ref_surveys", records=surveys)
        await owner.copy_records_to_table("ref_outbox", records=events)
    return time.perf_counter() - started


class Run:
    def __init__(self, platform: RunningPlatform, session: aiohttp.ClientSession,
                 clerks: Clerks, owners: dict[str, asyncpg.Connection],
                 numbers: list[str]) -> None:
        self.platform, self.session, self.clerks = platform, session, clerks
        self.owners, self.numbers = owners, numbers
        self.base = f"{platform.gateway}/v1/municipalities/{SANJO}/disaster"

    async def _post(self, path: str, **kwargs: Any) -> Any:
        headers = _headers(self.clerks.disaster, **{"Idempotency-Key": uuid.uuid4().hex},
                           **kwargs.pop("headers", {}))
        async with self.session.post(self.base + path, headers=headers, **kwargs) as response:
            body = await response.json()
            if response.status not in (200, 201, 202):
                raise RuntimeError(f"POST {path}: {response.status} {body}")
            return body

    async def _get(self, path: str, **params: Any) -> Any:
        async with self.session.get(self.base + path, params=params,
                                    headers=_headers(self.clerks.disaster)) as response:
            body = await response.json()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status} {body}")
            return body

    async def _unpublished(self) -> int:
        count: int = await self.owners["disaster"].fetchval(
            "SELECT count(*) FROM outbox_pending")
        return count

    async def measure(self, run: int) -> dict[str, Any]:
        await _refresh(self.session, self.platform.gateway, self.clerks)
        today = today_in_japan()
        occurred = today - timedelta(days=2)
        disaster = await self._post("/disasters", json={
            "name": f"ベンチ豪雨{run}", "kind": "flood", "occurred_on": occurred.isoformat(),
            "affected_area": [AREA], "application_opens_on": occurred.isoformat(),
            "application_closes_on": (occurred + timedelta(days=60)).isoformat()})
        parts = _csv_parts(run, self.numbers, today)
        count = len(self.numbers)
        parse_seconds = _reference_parse(parts, occurred, today)
        copy_seconds = await _reference_copy(self.owners["disaster"], count)
        processes = {n: self.platform.pid(n) for n in PROCESSES}

        cpu_before = cpu_seconds(processes)
        started = time.perf_counter()
        recorded = 0
        for part in parts:
            report = await self._post(f"/disasters/{disaster['id']}/surveys/import",
                                      data=part.encode(), headers={"Content-Type": "text/csv"})
            if report["errors"]:
                raise RuntimeError(f"import errors: {report['errors'][:3]}")
            recorded += report["surveys_recorded"]
        import_seconds = time.perf_counter() - started
        assert recorded == count, (recorded, count)
        import_cpu = used_between(cpu_before, cpu_seconds(processes))

        cpu_before = cpu_at_job = cpu_seconds(processes)
        job_started = time.perf_counter()
        ids: list[str] = []
        cursor: str | None = None
        while True:
            params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
            page = await self._get(f"/disasters/{disaster['id']}/applications", **params)
            ids += [a["id"] for a in page["items"]]
            cursor = page["next"]
            if cursor is None:
                break
        listing_seconds = time.perf_counter() - job_started
        job = await self._post("/certificate-jobs", json={"application_ids": ids})

        async def job_done() -> bool:
            state = await self._get(f"/certificate-jobs/{job['id']}")
            if state["state"] == "failed":
                raise RuntimeError(f"job failed: {state['error']}")
            return bool(state["state"] == "finished" and state["marked_ready"] == count)

        await _until(job_done, 600, "certificate job", interval=0.2)
        job_seconds = time.perf_counter() - job_started
        job_cpu = used_between(cpu_before, cpu_seconds(processes))

        async def drained() -> bool:
            return await self._unpublished() == 0

        drain_seconds = await _until(drained, 300, "outbox drained")
        total_seconds = time.perf_counter() - started
        certificates = await self._certificates(disaster["id"], count, job_started,
                                                cpu_at_job, processes)
        return {
            "houses": count,
            "import_seconds": import_seconds, "import_rate": count / import_seconds,
            "import_cpu_ms_per_house": {k: v * 1000 / count for k, v in import_cpu.items()},
            "job_cpu_ms_per_house": {k: v * 1000 / count for k, v in job_cpu.items()},
            "listing_seconds": listing_seconds,
            "job_seconds": job_seconds, "job_rate": count / job_seconds,
            "events_drained_after_job_seconds": drain_seconds,
            "total_seconds": total_seconds, "total_rate": count / total_seconds,
            "reference_parse_seconds": parse_seconds,
            "reference_copy_seconds": copy_seconds,
            "import_over_copy": import_seconds / copy_seconds,
            "certificates": certificates,
        }

    async def _progress(self, disaster_id: str) -> dict[str, Any] | None:
        """The certificates service's progress of the disaster, as a clerk reads it."""
        url = (f"{self.platform.gateway}/v1/municipalities/{SANJO}/certificates/damage/"
               f"disasters/{disaster_id}")
        async with self.session.get(url, headers=_headers(self.clerks.disaster)) as response:
            if response.status != 200:
                return None
            body: dict[str, Any] = await response.json()
            return body

    async def _certificates(self, disaster_id: str, count: int, job_started: float,
                            cpu_at_job: dict[str, float], processes: dict[str, int]
                            ) -> dict[str, Any]:
        """How fast the 罹災証明書 requested by the job are issued by the certificates worker."""
        latest: dict[str, Any] = {}

        async def recorded() -> bool:
            latest.update(await self._progress(disaster_id) or {})
            return int(latest.get("requested", 0)) >= count

        missing = {"available": False, "requested": 0, "issued": 0, "problems": 0,
                   "seconds": math.nan, "rate": math.nan, "requests_seen_seconds": math.nan,
                   "cpu_ms_per_certificate": {n: math.nan for n in processes}}
        try:
            await _until(recorded, CERTIFICATE_WAIT_SECONDS + 600, "requests in certificates",
                         interval=0.5)
        except TimeoutError:
            return {**missing, "requested": int(latest.get("requested", 0))}
        seen = time.perf_counter() - job_started

        def settled() -> int:
            return sum(int(latest.get(k, 0)) for k in ("issued", "refused", "failed"))

        async def all_issued() -> bool:
            latest.update(await self._progress(disaster_id) or {})
            return settled() >= count

        try:
            await _until(all_issued, ISSUE_TIMEOUT_SECONDS, "damage certificates", interval=0.5)
        except TimeoutError:
            return {**missing, "available": True, "requested": count,
                    "issued": int(latest.get("issued", 0)), "requests_seen_seconds": seen}
        seconds = time.perf_counter() - job_started
        issued = int(latest["issued"])
        used = used_between(cpu_at_job, cpu_seconds(processes))
        return {"available": True, "requested": count, "issued": issued,
                "problems": count - issued, "requests_seen_seconds": seen,
                "seconds": seconds, "rate": issued / seconds,
                "cpu_ms_per_certificate": {k: v * 1000 / max(issued, 1)
                                           for k, v in used.items()}}


async def _measure(platform: RunningPlatform, houses: int, runs: int,
                   deadline: float) -> dict[str, Any]:
    out: dict[str, Any] = {"houses": houses, "runs": []}
    owners = {name: await asyncpg.connect(platform.database(name))
              for name in ("disaster", "certificates")}
    timeout = aiohttp.ClientTimeout(total=300)
    connector = aiohttp.TCPConnector(limit=64)
    try:
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            clerks = await _clerks(session, platform.gateway)
            numbers = await _seed_read_models(owners, houses)
            for run in range(1, runs + 1):
                if time.monotonic() > deadline:
                    console.print(f"[yellow]time limit: {run - 1} of {runs} runs[/]")
                    break
                figures = await Run(platform, session, clerks, owners, numbers).measure(run)
                console.print(f"run {run}: import {figures['import_seconds']:.1f} s "
                              f"({figures['import_rate']:,.0f}/s), job "
                              f"{figures['job_seconds']:.1f} s, total "
                              f"{figures['total_seconds']:.1f} s, 罹災証明書 issued "
                              f"{figures['certificates']['seconds']:.1f} s after the job "
                              f"was requested")
                out["runs"].append(figures)
    finally:
        for conn in owners.values():
            await conn.close()
    return out


def _table(summary: dict[str, Any], houses: int) -> Table:
    table = Table(title=f"{houses:,} surveyed houses through the gateway (median, min–max)")
    table.add_column("step")
    table.add_column("time (s)", justify="right")
    table.add_column("houses/s", justify="right")
    table.add_row("CSV import (houses, surveys, applications, events, audit)",
                  fmt(summary["import_seconds"], 2), fmt(summary["import_rate"], 0))
    table.add_row("certificate job (list + mark ready + republish)",
                  fmt(summary["job_seconds"], 2), fmt(summary["job_rate"], 0))
    table.add_row("events all published, after the job", fmt(
        summary["events_drained_after_job_seconds"], 2), "")
    table.add_row("[bold]import → every event published[/]", fmt(summary["total_seconds"], 2),
                  fmt(summary["total_rate"], 0))
    table.add_row("reference: parse + grade in process", fmt(
        summary["reference_parse_seconds"], 2), "")
    table.add_row("reference: COPY of the rows (database floor)",
                  fmt(summary["reference_copy_seconds"], 2), "")
    table.add_row("import / COPY floor", fmt(summary["import_over_copy"], 1, "×"), "")
    certificates = summary.get("certificates", {})
    if "rate" in certificates:
        table.add_row("job requested → every 罹災証明書 issued (certificates worker)",
                      fmt(certificates["seconds"], 1), fmt(certificates["rate"], 0))
    return table


def main(*, quick: bool = False) -> dict[str, Any]:
    houses, runs = (QUICK_HOUSES, QUICK_RUNS) if quick else (HOUSES, RUNS)
    deadline = time.monotonic() + TIME_LIMIT_SECONDS - 300
    with running_platform() as platform:
        figures = asyncio.run(_measure(platform, houses, runs, deadline))
    summary = summarise(figures["runs"])
    console.print(_table(summary, houses))
    certificates = [r["certificates"] for r in figures["runs"]]
    if not any(c["available"] for c in certificates):
        console.print("[yellow]罹災証明書: no request reached the certificates service; "
                      "issuance not measured[/]")
    elif any(c["problems"] for c in certificates):
        console.print(f"[yellow]罹災証明書 not issued (refused or failed): "
                      f"{[c['problems'] for c in certificates]}[/]")
    cpu = summary.get("certificates", {}).get("cpu_ms_per_certificate", {})
    console.print("CPU per 罹災証明書, job requested → all issued (ms): " + ", ".join(
        f"{name} {fmt(value, 2)}" for name, value in cpu.items()))
    for phase in ("import", "job"):
        cpu = summary.get(f"{phase}_cpu_ms_per_house", {})
        console.print(f"CPU per house, {phase} (ms): " + ", ".join(
            f"{name} {fmt(value, 2)}" for name, value in cpu.items()))
    path = write_results(NAME, {**figures, "summary": summary, "quick": quick})
    console.print(f"[dim]results: {path}[/]")
    return summary


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
