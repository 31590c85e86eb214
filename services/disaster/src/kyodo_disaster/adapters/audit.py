"""The access log for many subjects at once (a CSV import touches thousands of houses).

Same rows as kyodo_common.audit.record_access writes, in one statement: one INSERT per entry
would cost a round trip each. The actor is passed as plain fields so the worker, which has no
request, can record the job's requester the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.assertion import Acting
from kyodo_common.audit import access_log
from kyodo_common.telemetry import current_trace_id
from kyodo_disaster.adapters import tables


@dataclass(frozen=True)
class Actor:
    """Who acts, from where, for whom, and under which support grant (対口支援)."""

    subject: str
    home: str
    municipality: str
    grant_id: str | None

    @classmethod
    def of(cls, acting: Acting) -> Actor:
        return cls(subject=acting.principal.subject, home=acting.principal.home_municipality,
                   municipality=acting.municipality, grant_id=acting.grant_id)


async def record(session: AsyncSession, actor: Actor, *, action: str, subject_type: str,
                 subject_ids: Iterable[str], fields: Sequence[str] = (),
                 purpose: str | None = None) -> None:
    now, trace_id = datetime.now(UTC), current_trace_id()
    rows = [{"municipality_code": actor.municipality, "occurred_at": now,
             "actor": actor.subject, "actor_home": actor.home,
             "acting_municipality": actor.municipality, "purpose": purpose, "action": action,
             "subject_type": subject_type, "subject_id": subject_id,
             "fields": sorted(fields), "trace_id": trace_id, "grant_id": actor.grant_id}
            for subject_id in subject_ids]
    if rows:
        await session.execute(sa.insert(access_log), rows)


async def entries(session: AsyncSession, *, equal: dict[str, str | None],
                  after: int | None, limit: int) -> list[sa.Row[Any]]:
    """The access log in the order it was written, where each named column has its value
    (None: any), after a previous page's last entry."""
    t = tables.access_log  # the disaster table, with the sealer's columns (id, hash)
    filters = [t.c[column] == value for column, value in equal.items() if value is not None]
    if after is not None:
        filters.append(t.c.id > after)
    return list((await session.execute(sa.select(t).where(*filters).order_by(t.c.id)
                                       .limit(limit))).all())
