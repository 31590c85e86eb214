"""交付: one request, any number of copies, each with its own issue number, code and signature.

Two short transactions around the CPU work, so no lock is held while PDFs are drawn:
1. read the read models, apply the rules (the draft), take the day's serials;
2. after rendering (each PDF signed in PAdES with the municipality's key), through the write
   pipeline (kyodo_common.write_pipeline, StoreCopies): claim the Idempotency-Key, store the
   copies (sealed), the access log and the events, remember the response.
Every statement is the store's (adapters/store.py): the same ones as before the pipeline.
A request that fails between them leaves a gap in the day's serials, as a spoiled print does
at the counter; an issue number is never given twice.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from kyodo_certificates_events import CertificateIssued

from kyodo_certificates.adapters.store import SOURCE, CertificatesStore
from kyodo_certificates.domain.document import Document, offline_statement
from kyodo_certificates.domain.issue_number import issue_numbers
from kyodo_certificates.domain.kinds import Status
from kyodo_certificates.domain.people import Municipality
from kyodo_certificates.domain.verification_code import new_code
from kyodo_certificates.rendering.pool import RenderPool, draw
from kyodo_certificates.service_layer.commands import (
    Counter,
    IssueCertificate,
    StoreIssuance,
)
from kyodo_certificates.service_layer.drafts import Draft
from kyodo_certificates.service_layer.keyring import Keyring
from kyodo_certificates.service_layer.ports import DraftReads
from kyodo_certificates.signing.signatures import Signer, content_message, pdf_message
from kyodo_common import idempotency
from kyodo_common.assertion import Acting
from kyodo_common.audit import access_rows
from kyodo_common.auth import Principal
from kyodo_common.certificate_qr import qr_text
from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.errors import Conflict
from kyodo_common.write_pipeline import Access, Outcome, WritePipeline

__all__ = ["SOURCE", "Counter", "Issuing", "issue"]
TOWN_TTL = 10.0


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


@asynccontextmanager
async def _drafting(db: Database, code: str) -> AsyncIterator[CertificatesStore]:
    async with db.tenant_transaction(code) as session:
        yield CertificatesStore(session)


@dataclass
class Issuing:
    """What an issuance needs besides the request: the database, keys and the public URL."""

    db: Database | None
    keyring: Keyring
    verify_base_url: str
    # A municipality's name, mayor and fee change rarely: read at most every TOWN_TTL seconds.
    towns: dict[str, tuple[float, Municipality]] = field(default_factory=dict)
    # Render processes for the copies' PDFs (every core); None: drawn in a thread.
    pool: RenderPool | None = None
    # The drafting transaction's store (a fake one in the handler tests).
    drafting: Callable[[str], AbstractAsyncContextManager[Any]] | None = None

    def transaction(self, code: str) -> AbstractAsyncContextManager[Any]:
        """The first, short transaction of an issuance: read models, rules, serials."""
        if self.drafting is not None:
            return self.drafting(code)
        assert self.db is not None
        return _drafting(self.db, code)

    async def town(self, store: DraftReads, code: str) -> Municipality:
        cached = self.towns.get(code)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        town = await store.municipality(code)
        if town is None:
            raise Conflict("this municipality's configuration has not reached the "
                           "certificates service yet", title="Municipality not configured",
                           kind="municipality-unknown")
        self.towns[code] = (time.monotonic() + TOWN_TTL, town)
        return town


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


async def issue(issuing: Issuing, command: IssueCertificate, *, pipeline: WritePipeline,
                acting: Acting, key: str | None) -> Issued:
    """Draft, number, draw and sign the copies; then store them through the write pipeline
    (the key claimed, the copies, the access log, the events and the answer in one commit)."""
    valid_key = idempotency.validate_key(key)
    route, code = f"certificates.{command.kind}", acting.municipality
    fingerprint = idempotency.fingerprint(route, command.payload)
    today = today_in_japan()
    started = time.perf_counter()
    async with issuing.transaction(code) as store:
        answered = await store.answered(code=code, caller=idempotency.caller_of(acting.principal),
                                        key=valid_key, fingerprint=fingerprint)
        if answered is not None:  # a repeat: nothing drafted, numbered or drawn again
            return Issued(answered.status, answered.body, {})
        town = await issuing.town(store, code)
        draft = await command.compose(store, town, today)
        first = await store.take_serials(code, today, command.copies)
    signer = await issuing.keyring.document_signer(town)  # read once per process
    read = time.perf_counter()
    documents = [numbered(draft, serial=first + n, day=today, counter=command.counter,
                          base_url=issuing.verify_base_url, offline=issuing.keyring.signer)
                 for n in range(command.copies)]
    drawn = await draw(issuing.pool, documents, signer)
    made = copies_of(documents, [d.pdf for d in drawn], first_serial=first)
    rendered = time.perf_counter()
    storing = StoreIssuance(issuance_id=uuid.uuid4(), today=today, draft=draft, made=made,
                            counter=command.counter, purpose=command.purpose, acting=acting)
    answer = await pipeline.answer(storing, StoreCopies(issuing.keyring), acting=acting,
                                   key=valid_key, fingerprint=(route, command.payload))
    own = answer.status == 201 and answer.body.get("issuance_id") == str(storing.issuance_id)
    issued = Issued(answer.status, answer.body,
                    {str(c.id): c.pdf for c in made} if own else {}, dict(storing.timings))
    issued.timings.update({"data": (read - started) * 1000,
                           "render": sum(d.render_ms for d in drawn),
                           "pades": sum(d.pades_ms for d in drawn),
                           # numbering, the hop to a render process and back
                           "draw": (rendered - read) * 1000,
                           "store": (time.perf_counter() - rendered) * 1000
                           - issued.timings.get("sign", 0.0)})
    return issued


class StoreCopies:
    """The handler of StoreIssuance: the copies signed and sealed at rest, staged with their
    events; the answer names the access-log entries (one per person or house certified)."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    async def __call__(self, command: StoreIssuance, uow: Any) -> Outcome:
        code, draft, acting = uow.municipality_code, command.draft, command.acting
        signing = time.perf_counter()
        rows, events = certificate_records(
            self.keyring, code=code, issuance_id=command.issuance_id, now=datetime.now(UTC),
            today=command.today, draft=draft, made=command.made, counter=command.counter,
            issued_by=acting.principal, grant_id=acting.grant_id, purpose=command.purpose)
        command.timings["sign"] = (time.perf_counter() - signing) * 1000
        uow.store.add_copies(rows)
        for event in events:
            uow.record(event)
        return Outcome(_body(command.issuance_id, code, command.today, command.made),
                       result="created", accesses=[Access(
                           f"certificate.issued.{draft.document.kind}", draft.subject_type,
                           [str(s) for s in draft.subject_ids], draft.fields,
                           command.purpose)])


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
