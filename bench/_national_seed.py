"""Seeds a running platform with all 1,741 municipalities (bench/_municipalities.py): for the
national-scale benchmark, never for tests (they use the six demo towns of `kyodo up`).

* identity: each municipality as an operator adds one (its row and ``MunicipalityConfigured`` in
  one unit of work, so tax and certificates learn its configuration through the outbox), its
  staff (``admin`` tenant admin, ``clerk`` counter clerk, the demo passwords), and one support
  grant each: every municipality lends ``residents:read`` and ``certificates:issue`` for a year
  to the clerk of its prefecture's largest city (a standing mutual-aid agreement, the kind a
  prefecture's towns sign), with its ``SupportGrantCreated`` event; 1,741 grants in all.
  The password hash is computed once per password and reused (argon2 takes ~50 ms: 3,482 of
  them would be minutes of set-up measuring nothing);
* residents: the register of each municipality by its population share, written with COPY by
  bench/_register_data.py (households, residents, both histories), and the access log: one
  sealed, hash-chained row per resident (a year of reads is about one per resident: 住民票の写し
  and counter look-ups), so that disk per million residents counts it.

``python -m bench._national_seed`` is not a command: the benchmark calls ``seed_identity`` and
``seed_register`` on the platform it started.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from queue import Queue
from typing import Any

import asyncpg
from kyodo_identity_events import MunicipalityConfigured, SupportGrantCreated
from kyodo_identity_events.tenant_config import TenantConfig

from bench._municipalities import Municipality
from bench._register_data import PLACES, LoadResult, Place, load
from kyodo_common.audit import GENESIS
from kyodo_common.db import Database, UnitOfWork

SOURCE = "kyodo/identity"
STAFF = (("admin", "kyodo-admin", ["tenant_admin"]), ("clerk", "kyodo-clerk", ["counter_clerk"]))
GRANT_SCOPES = ["residents:read", "certificates:issue"]
ACCESS_LOG_COLUMNS = ("id", "municipality_code", "occurred_at", "actor", "actor_home",
                      "acting_municipality", "purpose", "action", "subject_type", "subject_id",
                      "fields", "trace_id", "grant_id", "seq", "prev_hash", "hash")
ACCESS_FIELDS = ["name", "address", "birth_date", "household"]


def staff_id(code: str, login: str) -> uuid.UUID:
    """Deterministic, so that grants can name a grantee before it is written."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"kyodo-bench:{code}:{login}")


def grantee_of(items: list[Municipality]) -> dict[str, str]:
    """Municipality code → the code of its prefecture's largest municipality."""
    largest: dict[str, Municipality] = {}
    for m in items:
        if m.prefecture not in largest or m.population > largest[m.prefecture].population:
            largest[m.prefecture] = m
    return {m.code: largest[m.prefecture].code for m in items}


def _config(m: Municipality) -> TenantConfig:
    prefectural = 2000 if m.prefecture == "茨城県" else 1000
    return TenantConfig.model_validate({
        "per_capita": {"municipal": 3000, "prefectural": prefectural, "forest_env": 1000},
        "kyuchi": 1, "certificate_fee_yen": 300})


@dataclass
class IdentitySeed:
    municipalities_added: int
    staff_added: int
    grants_added: int
    seconds: float


async def seed_identity(app_url: str, admin_url: str, items: list[Municipality],
                        progress: Callable[[str], None] | None = None) -> IdentitySeed:
    """Idempotent: what exists already (the demo towns, their staff) is left as it is."""
    from kyodo_identity.service_layer.passwords import hasher

    started = time.perf_counter()
    db = Database(app_url, pool_size=2)
    owner = await asyncpg.connect(admin_url)
    added = staff_added = grants_added = 0
    try:
        existing = {r["code"].strip() for r in await owner.fetch("SELECT code FROM municipalities")}
        for m in items:
            if m.code in existing:
                continue
            config = _config(m)
            async with UnitOfWork(db, source=SOURCE, municipality_code=m.code) as uow:
                await uow.session.execute(
                    MUNICIPALITY_INSERT, {"code": m.code, "name": m.name, "name_en": m.name_en,
                                          "prefecture": m.prefecture,
                                          "config": json.dumps(config.model_dump(mode="json"))})
                uow.record(MunicipalityConfigured(code=m.code, name=m.name, name_en=m.name_en,
                                                  prefecture=m.prefecture, config=config,
                                                  version=1))
                await uow.commit()
            added += 1
            if progress and added % 200 == 0:
                progress(f"identity: {added} municipalities")
        hashes = {login: hasher.hash(password) for login, password, _ in STAFF}
        have = {(r["municipality_code"].strip(), r["login"]) for r in
                await owner.fetch("SELECT municipality_code, login FROM staff")}
        rows = [(staff_id(m.code, login), m.code, login, hashes[login], roles)
                for m in items for login, _, roles in STAFF if (m.code, login) not in have]
        await owner.copy_records_to_table(
            "staff", records=rows,
            columns=("id", "municipality_code", "login", "password_hash", "roles"))
        staff_added = len(rows)
        clerks = {(r["municipality_code"].strip()): r["id"] for r in await owner.fetch(
            "SELECT municipality_code, id FROM staff WHERE login = 'clerk'")}
        granted = {r["municipality_code"].strip() for r in await owner.fetch(
            "SELECT municipality_code FROM support_grants WHERE note = 'bench: mutual aid'")}
        now = datetime.now(UTC)
        until = now + timedelta(days=365)
        for grantor, grantee in grantee_of(items).items():
            if grantor == grantee or grantor in granted:
                continue
            grant_id = uuid.uuid4()
            async with UnitOfWork(db, source=SOURCE, municipality_code=grantor) as uow:
                await uow.session.execute(GRANT_INSERT, {
                    "id": grant_id, "code": grantor, "staff": clerks[grantee],
                    "grantee": grantee, "scopes": GRANT_SCOPES, "from": now, "until": until})
                uow.record(SupportGrantCreated(
                    grant_id=grant_id, grantor_municipality=grantor,
                    grantee_subject=str(clerks[grantee]), grantee_municipality=grantee,
                    scopes=GRANT_SCOPES, valid_from=now, valid_until=until, disaster_ref=None))
                await uow.commit()
            grants_added += 1
        await owner.execute("ANALYZE municipalities, staff, support_grants")
    finally:
        await owner.close()
        await db.dispose()
    return IdentitySeed(added, staff_added, grants_added, time.perf_counter() - started)


def _statement(sql: str) -> Any:
    import sqlalchemy as sa

    return sa.text(sql)


MUNICIPALITY_INSERT = _statement(
    "INSERT INTO municipalities (code, name, name_en, prefecture, config, version) "
    "VALUES (:code, :name, :name_en, :prefecture, CAST(:config AS jsonb), 1)")
GRANT_INSERT = _statement(
    "INSERT INTO support_grants (id, municipality_code, grantee_staff_id, grantee_municipality, "
    "grantee_login, scopes, valid_from, valid_until, note, created_at, created_by) "
    "VALUES (:id, :code, :staff, :grantee, 'clerk', :scopes, :from, :until, "
    "'bench: mutual aid', :from, 'bench')")


def places(items: list[Municipality]) -> dict[str, Place]:
    """An address prefix per municipality (the demo towns keep their real streets)."""
    out = dict(PLACES)
    for m in items:
        if m.code not in out:
            out[m.code] = Place(f"{m.prefecture}{m.name}", (("本町", "1000001"),
                                                             ("中央", "1000002")))
    return out


# ------------------------------------------------------------------------------------------
# The access log: one sealed row per resident, chained per municipality as the sealer does.


def _entry_hash(prev: str, values: dict[str, Any]) -> str:
    """kyodo_common.audit.entry_hash for a row without a terminal (faster: no row mapping)."""
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev + canonical).encode()).hexdigest()


def access_rows(plan: list[tuple[str, int]], first_id: int, *, seed: int,
                chunk_size: int = 50_000) -> Iterator[list[tuple[Any, ...]]]:
    next_id = first_id
    chunk: list[tuple[Any, ...]] = []
    base = datetime(2026, 1, 5, tzinfo=UTC)
    for code, count in plan:
        rng = random.Random(f"{seed}:access:{code}")
        prev = GENESIS
        for seq in range(1, count + 1):
            at = base + timedelta(seconds=seq * 97 % 28_000_000)
            subject = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            values = {"id": next_id, "municipality_code": code, "occurred_at": at.isoformat(),
                      "actor": "clerk", "actor_home": code, "acting_municipality": code,
                      "purpose": "identity-check", "action": "read",
                      "subject_type": "resident", "subject_id": subject,
                      "fields": ACCESS_FIELDS, "trace_id": None, "grant_id": None}
            digest = _entry_hash(prev, values)
            chunk.append((next_id, code, at, "clerk", code, code, "identity-check", "read",
                           "resident", subject, ACCESS_FIELDS, None, None, seq, prev, digest))
            prev = digest
            next_id += 1
            if len(chunk) >= chunk_size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


async def seed_access_log(admin_url: str, plan: list[tuple[str, int]], *,
                          seed: int = 20261207) -> tuple[int, float]:
    """COPY the sealed rows (chained in a thread, a chunk ahead); the id sequence moved on."""
    started = time.perf_counter()
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute("SET synchronous_commit = off")
        if await conn.fetchval("SELECT count(*) FROM access_log WHERE municipality_code = ANY($1)",
                               [code for code, _ in plan]):
            raise RuntimeError("the access log of these municipalities is not empty")
        first = int(await conn.fetchval("SELECT nextval('access_log_id_seq')")) + 1
        queue: Queue[list[tuple[Any, ...]] | BaseException | None] = Queue(maxsize=2)

        def produce() -> None:
            try:
                for chunk in access_rows(plan, first, seed=seed):
                    queue.put(chunk)
                queue.put(None)
            except BaseException as exc:
                queue.put(exc)

        threading.Thread(target=produce, name="access-log", daemon=True).start()
        rows = 0
        while True:
            item = await asyncio.to_thread(queue.get)
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item
            await conn.copy_records_to_table("access_log", records=item,
                                             columns=ACCESS_LOG_COLUMNS)
            rows += len(item)
        await conn.execute("SELECT setval('access_log_id_seq', $1)", first + rows)
        await conn.execute("VACUUM (ANALYZE) access_log")
    finally:
        await conn.close()
    return rows, time.perf_counter() - started


async def seed_register(admin_url: str, plan: list[tuple[str, int]], items: list[Municipality],
                        progress: Any = None) -> tuple[list[LoadResult], dict[str, float]]:
    return await load(admin_url, plan, places=places(items), progress=progress)
