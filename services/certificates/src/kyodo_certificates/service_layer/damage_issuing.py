"""罹災証明書 issued from the disaster service's requests, chunk after chunk, in the worker.

The same pipeline as an issuance at the counter (issuing.py, drafts.DamageDraft): the draft
from the read models, the day's serials, one copy per requested copy drawn and signed, the
sealed copies, the access log and CertificateIssued. Per chunk, as at the counter, two short
transactions around the CPU work (about 10 ms a copy), which runs in the worker's render
processes at a low CPU priority (rendering/pool.py; ADR 0018), so the worker's consumer and
relay keep their heartbeat and the counters their CPU:
1. the pending requests of the chunk, their drafts and the serials (refusals recorded; a
   house whose 世帯主 the register read model does not know yet waits, see DEFER_SECONDS);
2. after drawing: the requests still pending are locked (a request the consumer is changing
   is skipped for the next chunk), their copies stored and the requests marked issued.
A chunk cut short leaves a gap in the day's serials, as a spoiled print does; the unique
index on (application, survey version, copy) keeps any request from being issued twice.
The actor in the access log is the clerk who asked the disaster service for the job.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kyodo_certificates.adapters.damage_jobs import DamageJobUnitOfWork, Key, planning
from kyodo_certificates.domain.kinds import RequestStatus
from kyodo_certificates.domain.people import Municipality
from kyodo_certificates.rendering.pool import draw
from kyodo_certificates.service_layer.commands import Counter
from kyodo_certificates.service_layer.damage_requests import worker_principal
from kyodo_certificates.service_layer.drafts import DamageDraft, Draft
from kyodo_certificates.service_layer.issuing import (
    Copy,
    Issuing,
    access_entries,
    certificate_records,
    copies_of,
    numbered,
)
from kyodo_common.auth import Principal
from kyodo_common.clock import today_in_japan
from kyodo_common.errors import DomainError, Problem
from kyodo_common.logs import error_text

# The issue number names where a copy was printed: these are drawn by the worker, in bulk.
BULK_COUNTER = Counter(terminal="一括交付", printer="電子")
PURPOSE = "disaster-response"  # kyodo_common.purposes: 災害対応・罹災証明
MAX_ATTEMPTS = 5
# A certificate names the 世帯主: while the register's event has not reached this service, the
# request waits (an attempt, then this many seconds more at each one) rather than print a blank.
DEFER_SECONDS = 30
UNNAMED = "世帯主 not in this service's register read model yet"


@dataclass(frozen=True)
class _Planned:
    request: Any  # the request's row (its key, copies, applicant, requester)
    draft: Draft
    first_serial: int


@dataclass(frozen=True)
class _Chunk:
    today: date
    keys: list[Key]  # the planned requests'
    planned: list[_Planned]
    town: Municipality


async def issue_pending(issuing: Issuing, *, disaster_id: uuid.UUID, code: str,
                        chunk_size: int, should_stop: Callable[[], bool],
                        in_flight: int = 2) -> int:
    """Issue the disaster's pending requests until none is left (or the worker stops);
    returns how many requests were issued.

    Up to ``in_flight`` chunks at once: while one is drawn in the render processes, the next
    is planned and the one before stored, so the database's round trips do not leave the
    render processes idle. A chunk's failure spends an attempt of its own requests only; the
    other chunks in flight are dropped unstored (their serials a gap, their requests still
    pending)."""
    issued = 0
    flying: deque[tuple[_Chunk, asyncio.Task[list[list[Copy]]]]] = deque()
    try:
        while True:
            chunk = None
            if not should_stop():
                busy = [key for planned, _ in flying for key in planned.keys]
                chunk = await _plan(issuing, disaster_id=disaster_id, code=code,
                                    size=chunk_size, busy=busy)
            if chunk is not None:
                flying.append((chunk, asyncio.create_task(_drawn(issuing, chunk))))
            if not flying:
                break
            if chunk is None or len(flying) >= in_flight:
                first, drawing = flying.popleft()
                try:
                    issued += await _store(issuing, code=code, chunk=first, drawn=await drawing)
                except Exception as exc:
                    await _record_failure(issuing, code=code, keys=first.keys,
                                          error=error_text(exc))
                    raise
    finally:
        for _, drawing in flying:
            drawing.cancel()
        await asyncio.gather(*(drawing for _, drawing in flying), return_exceptions=True)
    return issued


async def _plan(issuing: Issuing, *, disaster_id: uuid.UUID, code: str,
                size: int, busy: Sequence[Key] = ()) -> _Chunk | None:
    """Transaction 1: the chunk's requests (but those of the chunks in flight, still
    pending until stored), drafts and serials; refusals recorded."""
    today = today_in_japan()
    assert issuing.db is not None
    async with planning(issuing.db, code) as store:
        rows = await store.pending(disaster_id, max_attempts=MAX_ATTEMPTS, busy=busy,
                                   limit=size)
        if not rows:
            return None
        town = await issuing.town(store, code)
        houses = await store.houses({r.assessment_id for r in rows})
        drafts: list[tuple[Any, Draft]] = []
        closed: list[tuple[Any, RequestStatus, str]] = []
        unnamed: list[Any] = []
        for row in rows:
            survey_version, named = houses.get(row.assessment_id, (None, False))
            if survey_version != row.survey_version:  # the consumer supersedes it
                closed.append((row, RequestStatus.SUPERSEDED, "a newer survey arrived"))
                continue
            if not named:
                unnamed.append(row)
                continue
            try:
                draft = await DamageDraft(assessment_id=row.assessment_id,
                                          applicant=row.applicant_resident_id)(
                    store, town, today)
            except (Problem, DomainError) as refused:
                closed.append((row, RequestStatus.REFUSED, refused.detail or refused.title))
                continue
            drafts.append((row, draft))
        for row, status, reason in closed:
            await store.close((row.application_id, row.survey_version), status=status.value,
                              reason=reason)
        if unnamed:
            await store.spend_attempt([(r.application_id, r.survey_version) for r in unnamed],
                                      UNNAMED, max_attempts=MAX_ATTEMPTS,
                                      defer_seconds=DEFER_SECONDS)
        planned = []
        if drafts:  # last: the day's serials stay locked only until this commit
            serial = await store.take_serials(code, today, sum(r.copies for r, _ in drafts))
            for row, draft in drafts:
                planned.append(_Planned(row, draft, serial))
                serial += row.copies
    return _Chunk(today, [(p.request.application_id, p.request.survey_version)
                          for p in planned], planned, town)


async def _drawn(issuing: Issuing, chunk: _Chunk) -> list[list[Copy]]:
    """The CPU work of the chunk (rendering and signing), outside any transaction, in the
    render processes (or a thread)."""
    signer = await issuing.keyring.document_signer(chunk.town)
    documents = [[numbered(p.draft, serial=p.first_serial + n, day=chunk.today,
                           counter=BULK_COUNTER, base_url=issuing.verify_base_url,
                           offline=issuing.keyring.signer)
                  for n in range(p.request.copies)] for p in chunk.planned]
    drawn = iter(await draw(issuing.pool, [d for per in documents for d in per], signer))
    return [copies_of(per, [next(drawn).pdf for _ in per], first_serial=p.first_serial)
            for p, per in zip(chunk.planned, documents, strict=True)]


def _actor(request: Any, code: str) -> tuple[Principal, str | None]:
    """The clerk who asked for the certificate job, else this worker."""
    if not request.requested_by:
        return worker_principal(code), None
    return Principal(subject=request.requested_by,
                     home_municipality=request.requested_by_home or code, kind="staff",
                     roles=frozenset(), scopes=frozenset(), expires_at=0.0,
                     token_id=""), request.grant_id


async def _store(issuing: Issuing, *, code: str, chunk: _Chunk,
                 drawn: Sequence[list[Copy]]) -> int:
    """Transaction 2: the copies of every request still pending, and the requests issued."""
    if not chunk.planned:
        return 0
    now = datetime.now(UTC)
    assert issuing.db is not None
    uow = DamageJobUnitOfWork(issuing.db, municipality_code=code)
    async with uow:
        jobs = uow.jobs
        pending = await jobs.still_pending([(p.request.application_id,
                                             p.request.survey_version)
                                            for p in chunk.planned])
        stored: list[dict[str, Any]] = []
        accesses: list[dict[str, Any]] = []
        issued: list[dict[str, Any]] = []
        for planned, made in zip(chunk.planned, drawn, strict=True):
            request = planned.request
            if (request.application_id, request.survey_version) not in pending:
                continue  # issued, superseded or being changed meanwhile: serials left unused
            issuance_id = uuid.uuid4()
            principal, grant_id = _actor(request, code)
            rows, events = certificate_records(
                issuing.keyring, code=code, issuance_id=issuance_id, now=now,
                today=chunk.today, draft=planned.draft, made=made, counter=BULK_COUNTER,
                issued_by=principal, grant_id=grant_id, purpose=PURPOSE,
                application_id=request.application_id,
                survey_version=request.survey_version)
            stored += rows
            for event in events:
                uow.record(event)
            accesses += access_entries(planned.draft, code=code, principal=principal,
                                       purpose=PURPOSE, grant_id=grant_id)
            issued.append({"municipality_code": code,
                           "application_id": request.application_id,
                           "survey_version": request.survey_version,
                           "status": RequestStatus.ISSUED.value,
                           "issuance_id": issuance_id, "issued_at": now})
        if not issued:
            return 0
        await jobs.store_copies(stored, issued)
        # The job names each request's clerk (not one caller): its own access-log rows.
        uow.staged.insert("access_log", accesses)
        await uow.commit()
    return len(issued)


async def _record_failure(issuing: Issuing, *, code: str, keys: list[Key],
                          error: str) -> None:
    assert issuing.db is not None
    async with planning(issuing.db, code) as store:
        await store.spend_attempt(keys, error, max_attempts=MAX_ATTEMPTS, defer_seconds=None)
