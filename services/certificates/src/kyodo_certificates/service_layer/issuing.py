"""交付: one request, any number of copies, each with its own issue number, code and signature.

Two short transactions around the CPU work, so no lock is held while PDFs are drawn:
1. read the read models, apply the rules (the draft), take the day's serials;
2. after rendering (each PDF signed in PAdES with the municipality's key): claim the
   Idempotency-Key, store the copies (sealed), write the access log and the events, remember
   the response.
A request that fails between them leaves a gap in the day's serials, as a spoiled print does
at the counter; an issue number is never given twice.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from kyodo_certificates_events import CertificateIssued
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters import read_models
from kyodo_certificates.adapters.tables import issue_serials
from kyodo_certificates.domain.document import Document, offline_statement
from kyodo_certificates.domain.issue_number import issue_numbers
from kyodo_certificates.domain.kinds import Status
from kyodo_certificates.domain.people import Municipality
from kyodo_certificates.domain.verification_code import new_code
from kyodo_certificates.rendering.pool import RenderPool, draw
from kyodo_certificates.service_layer.drafts import Compose, Draft
from kyodo_certificates.service_layer.keyring import Keyring
from kyodo_certificates.signing.signatures import Signer, content_message, pdf_message
from kyodo_common import idempotency
from kyodo_common.assertion import Acting
from kyodo_common.audit import access_rows
from kyodo_common.auth import Principal
from kyodo_common.certificate_qr import qr_text
from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import Problem

SOURCE = "kyodo/certificates"
TOWN_TTL = 10.0


@dataclass(frozen=True)
class Counter:
    """Where the copies are printed: the terminal and printer of the issue number."""

    terminal: str
    printer: str


@dataclass(frozen=True)
class Copy:
    id: uuid.UUID
    number: int
    serial: int
    document: Document
    pdf: bytes
    sha256: bytes


@dataclass(frozen=True)
class Issued:
    status: int
    body: dict[str, Any]
    pdfs: dict[str, bytes]  # certificate id → PDF, for this request's own copies
    # Milliseconds per phase (data, render, pades, sign, store), answered as Server-Timing.
    timings: dict[str, float] = field(default_factory=dict)

    def server_timing(self) -> str:
        return ", ".join(f"{name};dur={ms:.2f}" for name, ms in self.timings.items())


@dataclass
class Issuing:
    """What an issuance needs besides the request: the database, keys and the public URL."""

    db: Database
    keyring: Keyring
    verify_base_url: str
    # A municipality's name, mayor and fee change rarely: read at most every TOWN_TTL seconds.
    towns: dict[str, tuple[float, Municipality]] = field(default_factory=dict)
    # Render processes for the copies' PDFs (every core); None: drawn in a thread.
    pool: RenderPool | None = None

    async def town(self, session: AsyncSession, code: str) -> Municipality:
        cached = self.towns.get(code)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        town = await read_models.municipality(session, code)
        if town is None:
            raise Problem(409, "Municipality not configured", kind="municipality-unknown",
                          detail="this municipality's configuration has not reached the "
                                 "certificates service yet")
        self.towns[code] = (time.monotonic() + TOWN_TTL, town)
        return town


async def _answered(session: AsyncSession, code: str, caller: str, key: str,
                    fingerprint: str) -> Issued | None:
    """The response already given to this caller for this key (read-only: the key is claimed
    later)."""
    stored = await idempotency.answered(session, municipality_code=code, caller=caller,
                                        key=key, request_fingerprint=fingerprint)
    return None if stored is None else Issued(stored.status, stored.body, {})


async def take_serials(session: AsyncSession, code: str, day: date, count: int) -> int:
    """The first of `count` consecutive serials of the municipality's day (row-locked)."""
    statement = insert(issue_serials).values(municipality_code=code, day=day,
                                             last_serial=count)
    last = (await session.execute(statement.on_conflict_do_update(
        index_elements=[issue_serials.c.municipality_code, issue_serials.c.day],
        set_={"last_serial": issue_serials.c.last_serial + count},
    ).returning(issue_serials.c.last_serial))).scalar_one()
    return int(last) - count + 1


def numbered(draft: Draft, *, serial: int, day: date, counter: Counter,
             base_url: str, offline: Signer | None = None) -> Document:
    """A copy's document: its issue numbers and verification code, and (with a signer) the
    QR's signed offline statement (one Ed25519 signature, ~0.1 ms)."""
    code = new_code(draft.document.municipality_code)
    document = replace(
        draft.document,
        issue_numbers=issue_numbers(day=day, municipality_name=draft.document.municipality_name,
                                    terminal=counter.terminal, printer=counter.printer,
                                    serial=serial, pages=draft.document.pages),
        verification_code=code, verify_url=f"{base_url}/v1/certificates/verify/{code}")
    if offline is None:
        return document
    return replace(document, qr=qr_text(document.verify_url, offline_statement(document),
                                        offline.kid, offline.sign))


def _copy(number: int, serial: int, document: Document, signed: bytes) -> Copy:
    """The SHA-256 is the signed PDF's: the bytes the resident receives."""
    return Copy(uuid.uuid4(), number, serial, document, signed,
                hashlib.sha256(signed).digest())


def copies_of(documents: list[Document], pdfs: list[bytes], *, first_serial: int
              ) -> list[Copy]:
    """The copies of one issuance, numbered from 1, their serials consecutive."""
    return [_copy(n + 1, first_serial + n, document, pdf)
            for n, (document, pdf) in enumerate(zip(documents, pdfs, strict=True))]


async def issue(*, issuing: Issuing, code: str, acting: Acting, purpose: str, key: str,
                route: str, payload: Any, copies: int, counter: Counter,
                compose: Compose) -> Issued:
    fingerprint = idempotency.fingerprint(route, payload)
    today = today_in_japan()
    started = time.perf_counter()
    async with issuing.db.tenant_transaction(code) as session:
        answered = await _answered(session, code, idempotency.caller_of(acting.principal),
                                   key, fingerprint)
        if answered is not None:
            return answered
        town = await issuing.town(session, code)
        draft = await compose(session, town, today)
        first = await take_serials(session, code, today, copies)
    signer = await issuing.keyring.document_signer(town)  # read once per process
    read = time.perf_counter()
    documents = [numbered(draft, serial=first + n, day=today, counter=counter,
                          base_url=issuing.verify_base_url, offline=issuing.keyring.signer)
                 for n in range(copies)]
    drawn = await draw(issuing.pool, documents, signer)
    made = copies_of(documents, [d.pdf for d in drawn], first_serial=first)
    rendered = time.perf_counter()
    issued = await _store(issuing, code=code, acting=acting, purpose=purpose, key=key,
                          fingerprint=fingerprint, draft=draft, made=made, counter=counter,
                          today=today)
    issued.timings.update({"data": (read - started) * 1000,
                           "render": sum(d.render_ms for d in drawn),
                           "pades": sum(d.pades_ms for d in drawn),
                           # numbering, the hop to a render process and back
                           "draw": (rendered - read) * 1000,
                           "store": (time.perf_counter() - rendered) * 1000
                           - issued.timings.get("sign", 0.0)})
    return issued


def certificate_records(keyring: Keyring, *, code: str, issuance_id: uuid.UUID,
                        now: datetime, today: date, draft: Draft, made: list[Copy],
                        counter: Counter, issued_by: Principal, grant_id: str | None,
                        purpose: str | None, **columns: Any
                        ) -> tuple[list[dict[str, Any]], list[CertificateIssued]]:
    """The stored rows (content and PDF sealed, both signatures) and the events of one
    issuance's copies; ``columns`` adds what a kind records besides (its request)."""
    signer, sealer = keyring.signer, keyring.sealer
    rows, events = [], []
    for c in made:
        canonical = c.document.canonical()
        rows.append({
            "id": c.id, "municipality_code": code, "issuance_id": issuance_id,
            "kind": c.document.kind, "title": c.document.title, "copy_number": c.number,
            "serial": c.serial, "issued_on": today, "issued_at": now,
            "subject_ids": list(draft.subject_ids), "fields": list(draft.fields),
            "pages": c.document.pages, "issue_numbers": list(c.document.issue_numbers),
            "verification_code": c.document.verification_code,
            "content": sealer.seal(canonical, bound_to=str(c.id)),
            "content_signature": signer.sign(content_message(canonical)),
            "pdf_sha256": c.sha256,
            "pdf_signature": signer.sign(pdf_message(c.document.verification_code, c.sha256)),
            "key_id": signer.kid, "pdf": sealer.seal(c.pdf, bound_to=str(c.id)),
            "fee_yen": c.document.fee_yen, "terminal": counter.terminal,
            "printer": counter.printer, "issued_by": issued_by.subject,
            # Who issued it, from which town, under which support grant (if any).
            "issued_by_home": issued_by.home_municipality, "grant_id": grant_id,
            "status": Status.ISSUED.value, "assessment_id": draft.assessment_id, **columns,
        })
        events.append(CertificateIssued(
            certificate_id=c.id, issuance_id=issuance_id, municipality_code=code,
            kind=c.document.kind, issued_on=today, copy_number=c.number, copies=len(made),
            pages=c.document.pages, fee_yen=c.document.fee_yen,
            subject_ids=draft.subject_ids, key_id=signer.kid, subject_type=draft.subject_type,
            issued_by=issued_by.subject, issued_by_home=issued_by.home_municipality,
            grant_id=grant_id, purpose=purpose))
    return rows, events


def access_entries(draft: Draft, *, code: str, principal: Principal, purpose: str | None,
                   grant_id: str | None) -> list[dict[str, Any]]:
    """The access log of an issuance: one entry per person (or house) it certifies."""
    return access_rows(principal=principal, acting_municipality=code,
                       action=f"certificate.issued.{draft.document.kind}",
                       subject_type=draft.subject_type,
                       subject_ids=[str(s) for s in draft.subject_ids], fields=draft.fields,
                       purpose=purpose, grant_id=grant_id)


async def _store(issuing: Issuing, *, code: str, acting: Acting, purpose: str, key: str,
                 fingerprint: str, draft: Draft, made: list[Copy], counter: Counter,
                 today: date) -> Issued:
    issuance_id, now = uuid.uuid4(), datetime.now(UTC)
    async with UnitOfWork(issuing.db, source=SOURCE, municipality_code=code) as uow:
        caller = idempotency.caller_of(acting.principal)
        previous = await idempotency.claim(uow.session, municipality_code=code, caller=caller,
                                           key=key, request_fingerprint=fingerprint)
        if previous is not None:
            return Issued(previous.status, previous.body, {})
        signing = time.perf_counter()
        rows, events = certificate_records(
            issuing.keyring, code=code, issuance_id=issuance_id, now=now, today=today,
            draft=draft, made=made, counter=counter, issued_by=acting.principal,
            grant_id=acting.grant_id, purpose=purpose)
        signed = (time.perf_counter() - signing) * 1000  # signatures and sealing at rest
        # Staged: the rows, the access log, the stored response and the events go out as
        # one statement at commit.
        uow.staged.insert("certificates", rows)
        for event in events:
            uow.record(event)
        uow.staged.insert("access_log", access_entries(
            draft, code=code, principal=acting.principal, purpose=purpose,
            grant_id=acting.grant_id))
        body = _body(issuance_id, code, today, made)
        idempotency.stage_response(uow.staged, municipality_code=code, caller=caller, key=key,
                                   status=201, body=body)
        await uow.commit()
    return Issued(201, body, {str(c.id): c.pdf for c in made}, {"sign": signed})


def _body(issuance_id: uuid.UUID, code: str, today: date, made: list[Copy]) -> dict[str, Any]:
    first = made[0].document
    base = f"/v1/municipalities/{code}/certificates"
    return {
        "issuance_id": str(issuance_id), "kind": first.kind, "title": first.title,
        "municipality_code": code, "issued_on": today.isoformat(),
        "fee_yen_per_copy": first.fee_yen, "fee_yen_total": first.fee_yen * len(made),
        "copies": [{"certificate_id": str(c.id), "copy_number": c.number,
                    "issue_numbers": list(c.document.issue_numbers),
                    "verification_code": c.document.verification_code,
                    "pages": c.document.pages, "sha256": c.sha256.hex(),
                    "pdf": f"{base}/{c.id}/pdf"} for c in made],
    }
