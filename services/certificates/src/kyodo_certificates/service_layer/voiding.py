"""無効: a copy is voided (misprint, returned, issued in error); verification says so."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kyodo_certificates_events import CertificateVoided
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.tables import certificates
from kyodo_certificates.domain import rules
from kyodo_certificates.domain.kinds import Status
from kyodo_certificates.service_layer.issuing import SOURCE
from kyodo_common import idempotency
from kyodo_common.assertion import Acting
from kyodo_common.audit import record_access
from kyodo_common.auth import Principal
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import Conflict, NotFound


async def mark_void(session: AsyncSession, *, code: str, principal: Principal,
                    grant_id: str | None, certificate_id: UUID, kind: str, reason: str,
                    now: datetime) -> CertificateVoided:
    """Void one issued copy in the caller's transaction: status, access log, the event to
    publish (the caller writes it to the outbox with the change)."""
    await session.execute(sa.update(certificates).where(
        certificates.c.id == certificate_id).values(
        status=Status.VOIDED.value, voided_at=now, void_reason=reason))
    await record_access(session, principal=principal, acting_municipality=code,
                        action="certificate.voided", subject_type="certificate",
                        subject_id=str(certificate_id), fields=["status"], purpose=None,
                        grant_id=grant_id)
    return CertificateVoided(certificate_id=certificate_id, municipality_code=code, kind=kind,
                             voided_at=now)


async def void(*, db: Database, code: str, acting: Acting, certificate_id: UUID, reason: str,
               key: str) -> tuple[int, dict[str, Any]]:
    fingerprint = idempotency.fingerprint(f"void/{certificate_id}", {"reason": reason})
    async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
        caller = idempotency.caller_of(acting.principal)
        previous = await idempotency.claim(uow.session, municipality_code=code, caller=caller,
                                           key=key, request_fingerprint=fingerprint)
        if previous is not None:
            return previous.status, previous.body
        row = (await uow.session.execute(
            sa.select(certificates.c.status, certificates.c.kind, certificates.c.issued_by,
                      certificates.c.issued_by_home)
            .where(certificates.c.id == certificate_id).with_for_update())).first()
        if row is None:
            raise NotFound("certificate")
        rules.require_issuer_or_manager(acting, code=code, issued_by=row.issued_by,
                                        issued_by_home=row.issued_by_home, action="void")
        if row.status == Status.VOIDED:
            raise Conflict("the certificate is void already")
        now = datetime.now(UTC)
        uow.record(await mark_void(uow.session, code=code, principal=acting.principal,
                                   grant_id=acting.grant_id, certificate_id=certificate_id,
                                   kind=row.kind, reason=reason, now=now))
        body = {"certificate_id": str(certificate_id), "status": Status.VOIDED.value,
                "voided_at": now.isoformat()}
        idempotency.stage_response(uow.staged, municipality_code=code, caller=caller, key=key,
                                   status=200, body=body)
        await uow.commit()
    return 200, body
