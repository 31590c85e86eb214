"""The rest of the fault suite's mixed load: a tax officer of Nagaoka and a disaster-support
clerk of Sanjo at work beside the counter clerks of kyodo_launcher.faults, through the gateway.

- tax: a 給与支払報告書 of one row imported (a new employer each time, so a new report), then
  the person assessed (201: a new version of the assessment, 200: unchanged);
- disaster: a house re-surveyed (二次調査, If-Match of the house as read), and a 罹災証明書
  job for one application (the disaster worker marks it ready, certificates' worker issues).

Setup (``prepare``) makes what they work on: the staff, the tax configuration published again
(the demo seed writes tenants without an event), taxpayers moved in before 1 January and
known to tax, a disaster, and houses each with a first survey and an application by the
resident living there. Every request goes through ``Clerk.send`` (an Idempotency-Key, sent
again after a 5xx or a network error), so the ledger and ``ask_again`` cover them.

The count (``casework_verdict``), per event id or per issuance so a duplicate would show:
each 2xx import one import row with its one report; each 201 assessment one event carrying
its assessment id in tax's outbox, that event once in certificates' inbox; each 2xx
re-survey one re-assessment event of its house in disaster's outbox, once in certificates'
inbox; each 2xx job its application issued once: one damage issuance, one certificate.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from kyodo_common.clock import today_in_japan
from kyodo_launcher.faults import NAGAOKA, SANJO, TOWNS, Clerk, Ledger, Verdict, _fetch, login

FISCAL_YEAR = today_in_japan().year  # moved in two years before: taxed here on 1 January
STAFF_PASSWORD = "casework-password-2026"  # noqa: S105 (staff of a throwaway platform)
TAX_PURPOSE = {"X-Kyodo-Purpose": "tax-assessment"}
DISASTER_PURPOSE = {"X-Kyodo-Purpose": "disaster-response"}
READY_SECONDS = 120.0
_EMPLOYERS = itertools.count(10_000_000 - 1, -1)  # 8 digits, a new one per import
_ADDRESSES = itertools.count(1)


@dataclass
class Casework:
    """Tokens and what there is to work on; houses and applications are used once each."""
    tax: Clerk
    disaster: Clerk
    taxpayers: list[dict[str, Any]]  # platform_person_id, resident_number
    houses: list[tuple[str, str]] = field(default_factory=list)  # (house id, ETag): re-survey
    applications: list[str] = field(default_factory=list)  # ready for a certificate job
    turn: itertools.count[int] = field(default_factory=itertools.count)

    def for_ledger(self, ledger: Ledger) -> Casework:
        """The same officials writing in another phase's ledger."""
        def moved(c: Clerk) -> Clerk:
            return Clerk(c.town, c.token, c.client, ledger, c.residents, c.relogin)
        return Casework(moved(self.tax), moved(self.disaster), self.taxpayers, self.houses,
                        self.applications, self.turn)

    async def one(self) -> None:
        """The next piece of casework, in turn: tax, re-survey, certificate job."""
        match next(self.turn) % 3:
            case 0:
                await self.tax_case()
            case 1:
                if self.houses:
                    house, tag = self.houses.pop()
                    await self.resurvey(house, tag)
            case _:
                if self.applications:
                    await self.certificate_job(self.applications.pop())

    async def tax_case(self) -> None:
        employer = next(_EMPLOYERS)
        person = self.taxpayers[employer % len(self.taxpayers)]
        tax = f"/v1/municipalities/{NAGAOKA}/tax"
        csv = ("employer_number,resident_number,family_name_kana,given_name_kana,birth_date,"
               f"salary_income,social_insurance\n{employer:08d},"
               f"{person['resident_number']},チョウカ,ゼイタロウ,1980-04-01,"
               f"{2_000_000 + employer % 1000 * 1000},400000\n")
        imported = await self.tax.send_raw(
            "import", f"{tax}/salary-reports/imports?fiscal_year={FISCAL_YEAR}", csv,
            headers={**TAX_PURPOSE, "Content-Type": "text/csv"}, ident="import_id")
        if imported is not None:
            await self.tax.send("assess", f"{tax}/assessments", {
                "fiscal_year": FISCAL_YEAR, "platform_person_id": person["platform_person_id"]},
                headers=TAX_PURPOSE)

    async def resurvey(self, house: str, tag: str) -> None:
        await self.disaster.send(
            "survey", f"/v1/municipalities/{SANJO}/disaster/houses/{house}/surveys",
            {"kind": "second", "damage_ratio": "52.00",
             "surveyed_on": today_in_japan().isoformat(), "appeal_reason": "内壁の損傷を追加確認"},
            headers={**DISASTER_PURPOSE, "If-Match": tag})

    async def certificate_job(self, application: str) -> None:
        job = await self.disaster.send(
            "job", f"/v1/municipalities/{SANJO}/disaster/certificate-jobs",
            {"application_ids": [application]}, headers=DISASTER_PURPOSE)
        if job is not None:
            self.disaster.ledger.job_applications[job] = application


async def _staff(client: httpx.AsyncClient, town: str, role: str, ledger: Ledger) -> Clerk:
    gateway = str(client.base_url)
    admin = await login(gateway, town, "admin", "kyodo-admin")
    name = f"{role.split('_')[0]}.{uuid.uuid4().hex[:6]}"
    created = await client.post(f"/v1/municipalities/{town}/identity/staff", json={
        "login": name, "initial_password": STAFF_PASSWORD, "roles": [role]},
        headers={"Authorization": f"Bearer {admin}", "Idempotency-Key": uuid.uuid4().hex})
    created.raise_for_status()
    return Clerk(town, await login(gateway, town, name, STAFF_PASSWORD), client, ledger, [],
                 functools.partial(login, gateway, town, name, STAFF_PASSWORD))


async def _publish_tax_configuration(client: httpx.AsyncClient, town: str) -> None:
    """Saved again as it is: identity publishes it, and tax keeps it (均等割, 級地)."""
    operator = {"Authorization": "Bearer " + await login(str(client.base_url), "000000",
                                                         "operator", "kyodo-operator")}
    url = f"/v1/platform/municipalities/{town}"
    current = await client.get(url, headers=operator)
    current.raise_for_status()
    body = {k: current.json()[k] for k in ("name", "name_en", "prefecture", "config")}
    saved = await client.put(url, json=body, headers={**operator,
                                                      "If-Match": current.headers["ETag"]})
    saved.raise_for_status()


async def _until(what: str, check: Any) -> Any:
    deadline = time.monotonic() + READY_SECONDS
    while True:
        found = await check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise RuntimeError(f"casework setup: {what} not within {READY_SECONDS:.0f} s")
        await asyncio.sleep(0.3)


async def prepare(client: httpx.AsyncClient, *, taxpayers: int = 4, houses: int = 20
                  ) -> Casework:
    """Staff, taxpayers and houses (``houses`` re-surveys and as many applications); the
    setup's requests in a ledger of their own (``Casework.for_ledger`` for a phase's)."""
    ledger = Ledger()
    tax = await _staff(client, NAGAOKA, "tax_officer", ledger)
    disaster = await _staff(client, SANJO, "disaster_support", ledger)
    clerks = {town: Clerk(town, await login(str(client.base_url), town), client, ledger, [])
              for town in TOWNS}
    await _publish_tax_configuration(client, NAGAOKA)
    people = [await _move_in(clerks[NAGAOKA]) for _ in range(taxpayers)]
    work = Casework(tax, disaster, people)
    await _taxed_here(work)
    disaster_id = await _declare(disaster)
    made: list[tuple[str, str, str]] = []
    for start in range(0, 2 * houses, 10):  # ten at a time: a minute, not several
        made += await asyncio.gather(*(_surveyed_house(clerks[SANJO], disaster, disaster_id)
                                       for _ in range(start, min(start + 10, 2 * houses))))
    for n, (house, tag, resident) in enumerate(made):
        if n % 2:
            work.houses.append((house, tag))
        else:
            application = await disaster.send(
                "setup", f"/v1/municipalities/{SANJO}/disaster/houses/{house}/applications",
                {"applicant_resident_id": resident}, headers=DISASTER_PURPOSE)
            if application is None:
                raise RuntimeError(f"casework setup: no application ({ledger.refusals[-1:]})")
            work.applications.append(application)
    return work


async def _move_in(clerk: Clerk) -> dict[str, Any]:
    n = next(_ADDRESSES)
    answer = await clerk.post_json(f"/v1/municipalities/{NAGAOKA}/residents/move-ins", {
        "kind": "domestic", "effective_date": f"{FISCAL_YEAR - 2}-04-01",
        "person": {"family_name": "長岡", "given_name": f"納税{n}", "family_name_kana": "チョウカ",
                   "given_name_kana": "ゼイタロウ", "sex": "male", "birth_date": "1980-04-01"},
        "household": {"new_household": {"postal_code": "940-8501",
                                        "address": f"新潟県長岡市大手通2丁目{n}番1号"}},
        "previous_address": "東京都千代田区千代田1番1号", "confirm_not_duplicate": True})
    person: dict[str, Any] = answer["residents"][0]
    return person


async def _taxed_here(work: Casework) -> None:
    for person in work.taxpayers:
        async def known(p: dict[str, Any] = person) -> bool:
            answer = await work.tax.client.get(
                f"/v1/municipalities/{NAGAOKA}/tax/persons/{p['platform_person_id']}/residence",
                params={"fiscal_year": FISCAL_YEAR},
                headers={"Authorization": f"Bearer {work.tax.token}", **TAX_PURPOSE})
            return answer.status_code == 200 and bool(answer.json()["taxed_here"])
        await _until("a taxpayer in tax's read model", known)


async def _declare(disaster: Clerk) -> str:
    today = today_in_japan()
    answer = await disaster.post_json(f"/v1/municipalities/{SANJO}/disaster/disasters", {
        "name": "令和8年12月三条市豪雨（障害試験）", "kind": "flood",
        "occurred_on": (today - timedelta(days=1)).isoformat(), "affected_area": ["旭町二丁目"],
        "application_opens_on": today.isoformat(),
        "application_closes_on": (today + timedelta(days=60)).isoformat()},
        headers=DISASTER_PURPOSE)
    return str(answer["id"])


async def _surveyed_house(clerk: Clerk, disaster: Clerk, disaster_id: str
                          ) -> tuple[str, str, str]:
    """A resident registered at a new address, known to the disaster service; their house
    with a first survey: (house id, its ETag, the resident)."""
    n = next(_ADDRESSES)
    address = f"新潟県三条市旭町二丁目{50_000 + n}番1号"
    registered = await clerk.post_json(f"/v1/municipalities/{SANJO}/residents", {
        "family_name": "三条", "given_name": f"被災{n}", "family_name_kana": "サンジョウ",
        "given_name_kana": "ヒサイ", "birth_date": "1975-05-05", "sex": "female",
        "postal_code": "955-8686", "address": address})
    resident = str(registered["id"])
    base = f"/v1/municipalities/{SANJO}/disaster"
    auth = {"Authorization": f"Bearer {disaster.token}", **DISASTER_PURPOSE}

    async def occupant() -> bool:
        found = await disaster.client.post(
            f"{base}/disasters/{disaster_id}/occupants/search",
            json={"address": address, "postal_code": "955-8686"},
            headers={**auth, "Idempotency-Key": uuid.uuid4().hex})
        return found.status_code == 200 and any(p["resident_id"] == resident
                                                for p in found.json()["items"])

    await _until("a resident in the disaster service", occupant)
    house = await disaster.client.post(f"{base}/disasters/{disaster_id}/houses",
                                       json={"postal_code": "955-8686", "address": address},
                                       headers={**auth, "Idempotency-Key": uuid.uuid4().hex})
    house.raise_for_status()
    surveyed = await disaster.client.post(
        f"{base}/houses/{house.json()['id']}/surveys",
        json={"kind": "first", "damage_ratio": "41.20",
              "surveyed_on": today_in_japan().isoformat()},
        headers={**auth, "Idempotency-Key": uuid.uuid4().hex, "If-Match": house.headers["ETag"]})
    surveyed.raise_for_status()
    return str(house.json()["id"]), surveyed.headers["ETag"], resident


async def casework_quiet(databases: dict[str, str]) -> bool:
    """Disaster's jobs done and no 罹災証明書 waiting in certificates; outboxes empty."""
    for service in ("tax", "disaster"):
        rows = await _fetch(databases[service], "SELECT count(*) AS n FROM outbox_pending")
        if rows[0]["n"]:
            return False
    jobs = await _fetch(databases["disaster"], "SELECT count(*) AS n FROM certificate_jobs "
                        "WHERE state IN ('queued', 'running')")
    waiting = await _fetch(databases["certificates"], "SELECT count(*) AS n FROM "
                           "damage_issuances WHERE status = 'pending'")
    return not (jobs[0]["n"] or waiting[0]["n"])


async def _once_in_certificates(databases: dict[str, str], events: dict[str, str],
                                what: str, lost: set[str], duplicated: set[str],
                                details: list[str]) -> None:
    """Each event (id → the key that caused it) once in certificates' inbox."""
    rows = await _fetch(databases["certificates"],
                        "SELECT event_id::text AS e, count(*) AS n FROM inbox WHERE consumer = "
                        "'certificates.read-models' AND event_id = ANY($1::uuid[]) "
                        "GROUP BY event_id", [uuid.UUID(e) for e in events])
    seen = {row["e"]: row["n"] for row in rows}
    for event_id, key in events.items():
        if not seen.get(event_id):
            lost.add(key)
            details.append(f"certificates: {what} event {event_id} not applied")
        elif seen[event_id] > 1:
            duplicated.add(key)
            details.append(f"certificates: {what} event {event_id} applied {seen[event_id]}×")


async def casework_verdict(ledger: Ledger, databases: dict[str, str]) -> Verdict:
    lost: set[str] = set()
    duplicated: set[str] = set()
    details: list[str] = []

    def count(key: str, n: int, what: str) -> None:
        if n == 0:
            lost.add(key)
            details.append(f"{what}: missing")
        elif n > 1:
            duplicated.add(key)
            details.append(f"{what}: {n} times")

    imports = {ident: key for key, (_, ident) in ledger.of("import").items()}
    rows = await _fetch(databases["tax"],
                        "SELECT i.id::text AS i, i.accepted, (SELECT count(*) FROM salary_reports "
                        "r WHERE r.import_id = i.id) AS reports FROM salary_imports i "
                        "WHERE i.id = ANY($1::uuid[])", [uuid.UUID(i) for i in imports])
    found = {row["i"]: row for row in rows}
    for ident, key in imports.items():
        row = found.get(ident)
        count(key, 0 if row is None else row["reports"], f"import {ident}'s report")
    assessed = {ident: key for key, (_, ident) in ledger.of("assess").items()
                if ledger.status.get(key) == 201}
    rows = await _fetch(databases["tax"],
                        "SELECT event_id::text AS e, data->>'assessment_id' AS a FROM outbox "
                        "WHERE data->>'assessment_id' = ANY($1::text[])", list(assessed))
    per = Counter(row["a"] for row in rows)
    for ident, key in assessed.items():
        count(key, per[ident], f"assessment {ident}'s event")
    await _once_in_certificates(databases, {row["e"]: assessed[row["a"]] for row in rows},
                                "tax", lost, duplicated, details)
    houses = {ident: key for key, (_, ident) in ledger.of("survey").items()}
    rows = await _fetch(databases["disaster"],
                        "SELECT event_id::text AS e, subject FROM outbox WHERE subject = "
                        "ANY($1::text[]) AND type = 'jp.kyodo.disaster.house_damage_reassessed.v1'",
                        list(houses))
    per = Counter(row["subject"] for row in rows)
    for ident, key in houses.items():
        count(key, per[ident], f"house {ident}'s re-assessment event")
    await _once_in_certificates(databases, {row["e"]: houses[row["subject"]] for row in rows},
                                "disaster", lost, duplicated, details)
    jobs = {ledger.job_applications[ident]: key for key, (_, ident) in ledger.of("job").items()
            if ident in ledger.job_applications}
    rows = await _fetch(databases["certificates"],
                        "SELECT d.application_id::text AS a, d.status, (SELECT count(*) FROM "
                        "certificates c WHERE c.issuance_id = d.issuance_id) AS copies "
                        "FROM damage_issuances d WHERE d.application_id = ANY($1::uuid[])",
                        [uuid.UUID(a) for a in jobs])
    issued = Counter(row["a"] for row in rows if row["status"] == "issued")
    copies = {row["a"]: row["copies"] for row in rows if row["status"] == "issued"}
    for application, key in jobs.items():
        count(key, issued[application], f"application {application}'s 罹災証明書")
        if issued[application] == 1:
            count(key, copies[application], f"application {application}'s certificate copy")
    kinds = ("import", "assess", "survey", "job")
    return Verdict(requests=sum(1 for k in ledger.bodies.values() if k[0] in kinds),
                   ok=sum(len(ledger.of(k)) for k in kinds), lost=len(lost),
                   duplicated=len(duplicated), answered_differently=0, given_up=0, retried=0,
                   details=details[:20])
