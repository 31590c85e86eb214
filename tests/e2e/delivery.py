"""Counting deliveries so that a duplicate would show: per event id and version, never by the
read model's primary key (an upsert by resident id hides a second application)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg

from kyodo_common.db import asyncpg_dsn
from kyodo_launcher.faults import REGISTER_READERS


@dataclass(frozen=True)
class Delivery:
    events: int  # the register's events about these residents, in residents' outbox
    inbox: dict[str, int]  # per reader: inbox rows of those event ids
    snapshots_from_their_events: int  # certificates' rows whose last event is one of them

    def exactly_once(self, residents: int) -> bool:
        return (self.events == residents and self.snapshots_from_their_events == residents
                and all(n == residents for n in self.inbox.values()))


async def _fetch(url: str, query: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


async def delivery_of(databases: dict[str, str], resident_ids: list[str]) -> Delivery:
    """Each resident registered once has one event; each reader applied each event once (its
    inbox row), and certificates' snapshot carries that event at version 1 (a second
    application of a registration, or a lost one, changes these counts)."""
    events = await _fetch(databases["residents"],
                          "SELECT event_id FROM outbox WHERE subject = ANY($1::text[])",
                          resident_ids)
    event_ids = [row["event_id"] for row in events]
    inbox = {}
    for service, group in REGISTER_READERS.items():
        rows = await _fetch(databases[service],
                            "SELECT count(*) AS n FROM inbox WHERE consumer = $1 "
                            "AND event_id = ANY($2::uuid[])", group, event_ids)
        inbox[service] = rows[0]["n"]
    snapshots = await _fetch(
        databases["certificates"],
        "SELECT count(*) AS n FROM resident_snapshots WHERE resident_id = ANY($1::uuid[]) "
        "AND last_event_id = ANY($2::uuid[]) AND version = 1",
        [uuid.UUID(i) for i in resident_ids], event_ids)
    return Delivery(len(event_ids), inbox, snapshots[0]["n"])
