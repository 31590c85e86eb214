"""Load through the gateway while a fault is injected, and the check that follows it.

Shared by the fault suite (bench/chaos.py, `make chaos`) and its short e2e version
(tests/e2e/test_faults_under_load.py). Clerks of demo towns register residents and issue
住民票の写し; every request carries its own Idempotency-Key and is sent again with the same key
after a network error or a 5xx, as a counter terminal would. Every 2xx answer is recorded.

The check counts effects so that a duplicate would show: per event id (residents' outbox, each
reader's inbox) and per issuance id (certificates' rows), never by a read model's primary key.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx

from kyodo_common.db import asyncpg_dsn
from kyodo_common.events.kafka import consumer_lag

NAGAOKA, SANJO = "152021", "152048"
TOWNS = {NAGAOKA: ("長岡", "新潟県長岡市大手通1丁目", "9408501"),
         SANJO: ("三条", "新潟県三条市旭町二丁目", "9558686")}
REGISTER_TOPIC = "kyodo.residents.v1"
# Who reads the register's events, and where (service database, consumer group): the read
# models that must hold each registration. The one list: the fault suite and the e2e tier's
# delivery counts (tests/e2e/delivery.py) both check these.
REGISTER_READERS = {"certificates": "certificates.read-models", "tax": "tax.read-models",
                    "disaster": "disaster.read-models"}
RETRY_FOR_SECONDS = 120.0  # a clerk gives up on a request after this long
# Each registration a different person: the register refuses the readings, birth date and
# address of a current resident (409, possible duplicate) until the clerk confirms.
_PEOPLE = itertools.count(1)
_KANA = "アイウエオカキクケコ"


def reading(n: int) -> str:
    """A given name's reading of its own for the n-th person: a register is not tens of
    thousands of people with one reading and birth date, and the duplicate check looks
    them up by reading (residents_kana), so one shared reading made every registration of
    a long run read all the earlier ones (the soak of 2026-12-07 19:00: p99 119 → 7,023 ms)."""
    return "タロウ" + "".join(_KANA[int(d)] for d in str(n))


def birth_date(n: int) -> date:
    return date(1940, 1, 1) + timedelta(days=n % 25_000)


@dataclass
class Ledger:
    """What the clients saw: per key, every 2xx answer's id; keys given up; attempts."""
    sent: int = 0  # requests (keys), not attempts
    attempts: int = 0
    registered: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (town, id)
    issued: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (town, issuance)
    answers: dict[str, list[str]] = field(default_factory=dict)  # key → every 2xx answer's id
    bodies: dict[str, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)
    retried: set[str] = field(default_factory=set)
    last_answer: dict[str, Any] = field(default_factory=dict)  # the latest 2xx's body
    given_up: list[str] = field(default_factory=list)  # keys with no 2xx at all
    refused: Counter[int] = field(default_factory=Counter)  # 4xx answers (not retried)
    refusals: list[str] = field(default_factory=list)  # the first few, to read
    ok_times: list[float] = field(default_factory=list)  # monotonic time of every 2xx
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (when, s) per 2xx
    # The other kinds of request (kyodo_launcher.casework): kind → key → (town, id).
    other: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)  # key → its 2xx status
    job_applications: dict[str, str] = field(default_factory=dict)  # 罹災証明書 job → its one
    # How to send a key again (ask_again): who sent it, with which headers, and a raw body.
    resend: dict[str, tuple[Clerk, dict[str, str], str | None, str | None]] = field(
        default_factory=dict)

    def of(self, kind: str) -> dict[str, tuple[str, str]]:
        """Every 2xx of this kind of request: key → (town, the id in its answer)."""
        if kind == "register":
            return self.registered
        if kind == "issue":
            return self.issued
        return self.other.setdefault(kind, {})

    @property
    def ok(self) -> int:
        return len(self.registered) + len(self.issued) + sum(map(len, self.other.values()))

    def longest_gap(self, start: float, end: float) -> float:
        """The longest stretch without a 2xx answer between start and end (seconds)."""
        times = sorted(t for t in self.ok_times if start <= t <= end)
        points = [start, *times, end]
        return max(b - a for a, b in itertools.pairwise(points))


@dataclass
class Clerk:
    town: str
    token: str
    client: httpx.AsyncClient
    ledger: Ledger
    residents: list[str]  # in certificates' read model already: they can be issued for
    # Logs in again when the token expired (15 minutes): a soak or a long suite outlives it.
    relogin: Callable[[], Awaitable[str]] | None = None
    # One login at a time: when the token expires every request in flight gets a 401 at
    # once; without this each logged in (a stampede identity answered with 503s).
    _relogging: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    async def send(self, kind: str, path: str, body: dict[str, Any],
                   headers: dict[str, str] | None = None, key: str | None = None,
                   ident: str | None = None) -> str | None:
        """One request, with retries under the same key until a non-5xx answer; the id in
        its 2xx answer (``ident``, else a resident's or an issuance's id), or None."""
        return await self._send(kind, path, body, None, headers or {}, key, ident)

    async def send_raw(self, kind: str, path: str, content: str, headers: dict[str, str],
                       key: str | None = None, ident: str | None = None) -> str | None:
        """The same with a body that is not JSON (a CSV file)."""
        return await self._send(kind, path, {}, content, headers, key, ident)

    async def post_json(self, path: str, body: dict[str, Any],
                        headers: dict[str, str] | None = None) -> dict[str, Any]:
        """A setup request, retried as the others, that must succeed: its answer (in a
        ledger of its own, so that setup requests may run side by side)."""
        setup = Clerk(self.town, self.token, self.client, Ledger(), self.residents,
                      self.relogin)
        if await setup.send("setup", path, body, headers) is None:
            raise RuntimeError(f"setup request refused: {setup.ledger.refusals}")
        return setup.ledger.last_answer

    async def _send(self, kind: str, path: str, body: dict[str, Any], content: str | None,
                    headers: dict[str, str], key: str | None, ident: str | None
                    ) -> str | None:
        key = key or uuid.uuid4().hex
        ledger = self.ledger
        if key not in ledger.bodies:  # asked again (ask_again) is the same request
            ledger.sent += 1
            ledger.bodies[key] = (kind, path, body)
            ledger.resend[key] = (self, headers, content, ident)
        deadline = time.monotonic() + RETRY_FOR_SECONDS
        delay = 0.2
        first = True
        while True:
            if not first:
                ledger.retried.add(key)
            first = False
            ledger.attempts += 1
            sent_at = time.monotonic()
            token = self.token
            try:
                response = await self.client.post(
                    path, json=body if content is None else None, content=content,
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                             **headers})
            except httpx.HTTPError:
                response = None
            if (response is not None and response.status_code == 401
                    and self.relogin is not None):
                try:
                    await self._renew(token)
                    continue
                except httpx.HTTPError:  # identity away or limiting logins: wait, as for 5xx
                    response = None
            if response is not None and response.status_code < 500:
                break
            if time.monotonic() > deadline:
                ledger.given_up.append(key)
                return None
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, 2.0)
        if response.status_code >= 300:
            ledger.refused[response.status_code] += 1
            if len(ledger.refusals) < 5:
                ledger.refusals.append(f"{kind} {response.status_code}: {response.text[:300]}")
            return None
        answer = response.json()
        found = str(answer[ident] if ident else answer.get("id") or answer.get("issuance_id"))
        ledger.answers.setdefault(key, []).append(found)
        ledger.last_answer = answer
        ledger.status.setdefault(key, response.status_code)
        now = time.monotonic()
        ledger.ok_times.append(now)
        ledger.latencies.append((now, now - sent_at))  # the answering attempt's
        ledger.of(kind)[key] = (self.town, found)
        return found

    async def _renew(self, expired: str) -> None:
        """A new token, unless another request already got one for the one that expired."""
        assert self.relogin is not None
        async with self._relogging:
            if self.token == expired:
                self.token = await self.relogin()

    async def register(self) -> str | None:
        family, street, postal = TOWNS[self.town]
        n = next(_PEOPLE)
        return await self.send("register", f"/v1/municipalities/{self.town}/residents", {
            "family_name": family, "given_name": f"試験{n}", "family_name_kana": "シケン",
            "given_name_kana": reading(n), "birth_date": birth_date(n).isoformat(),
            "sex": "male", "postal_code": postal,
            "address": f"{street}{n // 100 + 1}番{n % 100 + 1}号"})

    async def issue(self) -> str | None:
        return await self.send("issue", f"/v1/municipalities/{self.town}/certificates/residence",
                        {"resident_id": random.choice(self.residents),  # noqa: S311
                         "terminal": "本庁1", "printer": "プリンタ001",
                         "items": ["relationship"]},
                        headers={"X-Kyodo-Purpose": "residence-certificate"})

    async def work(self, stop: asyncio.Event, interval: float, issue_every: int) -> None:
        """Until stop: a registration, and every ``issue_every``-th time a certificate."""
        n = 0
        while not stop.is_set():
            n += 1
            if issue_every and self.residents and n % issue_every == 0:
                await self.issue()
            else:
                await self.register()
            try:
                pause = interval * random.uniform(0.5, 1.5)  # noqa: S311
                await asyncio.wait_for(stop.wait(), timeout=pause)
            except TimeoutError:
                pass


async def login(gateway: str, town: str, username: str = "clerk",
                password: str = "kyodo-clerk") -> str:  # noqa: S107 (the demo's)
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        response = await client.post("/v1/auth/token", data={
            "grant_type": "password", "municipality_code": town, "username": username,
            "password": password})
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token


async def _fetch(url: str, query: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(asyncpg_dsn(url), timeout=10)
    try:
        rows: list[asyncpg.Record] = await conn.fetch(query, *args)
        return rows
    finally:
        await conn.close()


async def quiet(databases: dict[str, str], bootstrap: str) -> bool:
    """Outboxes empty and every reader of the register caught up."""
    for service in ("residents", "certificates"):
        rows = await _fetch(databases[service], "SELECT count(*) AS n FROM outbox_pending")
        if rows[0]["n"]:
            return False
    for group in REGISTER_READERS.values():
        if await consumer_lag(bootstrap, group, [REGISTER_TOPIC]):
            return False
    return True


@dataclass
class Verdict:
    requests: int
    ok: int
    lost: int  # a 2xx whose effect is missing somewhere it should be
    duplicated: int  # a 2xx whose effect is there more than once
    answered_differently: int  # a key with two different 2xx answers
    given_up: int  # requests with no 2xx after RETRY_FOR_SECONDS
    retried: int
    details: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.answered_differently)


async def verdict(ledger: Ledger, databases: dict[str, str]) -> Verdict:
    """Every 2xx registration: one event in residents' outbox, that event once in each reader's
    inbox and as certificates' snapshot at version 1; every 2xx issuance: one certificate row
    per copy; every key: one answer."""
    lost, duplicated, details = set(), set(), []
    ids = {rid: key for key, (_, rid) in ledger.registered.items()}
    events = await _fetch(databases["residents"],
                          "SELECT subject, event_id FROM outbox WHERE subject = ANY($1::text[])",
                          list(ids))
    per_subject = Counter(row["subject"] for row in events)
    event_of = {row["subject"]: row["event_id"] for row in events}
    for rid, key in ids.items():
        if per_subject[rid] == 0:
            lost.add(key)
            details.append(f"registration {rid}: no event")
        elif per_subject[rid] > 1:
            duplicated.add(key)
            details.append(f"registration {rid}: {per_subject[rid]} events")
    event_ids = list(event_of.values())
    subject_of = {v: k for k, v in event_of.items()}
    for service, group in REGISTER_READERS.items():
        rows = await _fetch(databases[service],
                            "SELECT event_id, count(*) AS n FROM inbox WHERE consumer = $1 "
                            "AND event_id = ANY($2::uuid[]) GROUP BY event_id", group, event_ids)
        seen = {row["event_id"]: row["n"] for row in rows}
        for event_id in event_ids:
            key = ids[subject_of[event_id]]
            if seen.get(event_id, 0) == 0:
                lost.add(key)
                details.append(f"{service}: event {event_id} not applied")
            elif seen[event_id] > 1:
                duplicated.add(key)
                details.append(f"{service}: event {event_id} applied {seen[event_id]} times")
    snapshots = await _fetch(
        databases["certificates"],
        "SELECT resident_id::text AS rid, version, last_event_id FROM resident_snapshots "
        "WHERE resident_id = ANY($1::uuid[])", [uuid.UUID(i) for i in ids])
    snapshot = {row["rid"]: row for row in snapshots}
    for rid, key in ids.items():
        row = snapshot.get(rid)
        if row is None or row["last_event_id"] != event_of.get(rid):
            lost.add(key)
            details.append(f"certificates: no snapshot of {rid} from its registration")
        elif row["version"] != 1:
            duplicated.add(key)
            details.append(f"certificates: snapshot of {rid} at version {row['version']}")
    issuances = {iid: key for key, (_, iid) in ledger.issued.items()}
    rows = await _fetch(databases["certificates"],
                        "SELECT issuance_id::text AS iid, count(*) AS n FROM certificates "
                        "WHERE issuance_id = ANY($1::uuid[]) GROUP BY issuance_id",
                        [uuid.UUID(i) for i in issuances])
    copies = {row["iid"]: row["n"] for row in rows}
    for iid, key in issuances.items():
        if copies.get(iid, 0) == 0:
            lost.add(key)
            details.append(f"issuance {iid}: no certificate")
        elif copies[iid] > 1:
            duplicated.add(key)
            details.append(f"issuance {iid}: {copies[iid]} certificates")
    different = [k for k, answers in ledger.answers.items() if len(set(answers)) > 1]
    details += [f"key {k}: answers {ledger.answers[k]}" for k in different]
    return Verdict(requests=ledger.sent, ok=ledger.ok, lost=len(lost),
                   duplicated=len(duplicated), answered_differently=len(different),
                   given_up=len(ledger.given_up), retried=len(ledger.retried),
                   details=details[:20])


async def ask_again(clerks: dict[str, Clerk], ledger: Ledger, keys: list[str]) -> None:
    """The same requests once more with the same keys: each must answer as it did."""
    for key in keys:
        kind, path, body = ledger.bodies[key]
        clerk, headers, content, ident = ledger.resend[key]
        await clerk._send(kind, path, body, content, headers, key, ident)
