"""Handlers of the certificates commands that run whole in the write pipeline's unit of work
(``uow.store``, adapters/store.py). An issuance drafts and draws its copies first and stores
them through the pipeline too (issuing.issue, issuing.StoreCopies)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kyodo_certificates_events import CertificateVoided

from kyodo_certificates.domain import rules
from kyodo_certificates.domain.kinds import Status
from kyodo_certificates.service_layer.commands import VoidCertificate
from kyodo_common.errors import Conflict, InvalidInput, NotFound
from kyodo_common.write_pipeline import Access, Outcome


async def void_certificate(command: VoidCertificate, uow: Any) -> Outcome:
    """無効: the issuer (or a manager) voids a copy once, saying why; the event tells the
    others, the access log names the copy."""
    if not command.reason.strip():
        raise InvalidInput("reason", "say why the copy is voided (記載誤り, 返還, …)")
    found = await uow.store.certificate_to_void(command.certificate_id)
    if found is None:
        raise NotFound("certificate")
    rules.require_issuer_or_manager(command.acting, code=uow.municipality_code,
                                    issued_by=found.issued_by,
                                    issued_by_home=found.issued_by_home, action="void")
    if found.status == Status.VOIDED:
        raise Conflict("the certificate is void already")
    now = datetime.now(UTC)
    await uow.store.void(command.certificate_id, reason=command.reason, now=now)
    uow.record(CertificateVoided(certificate_id=command.certificate_id,
                                 municipality_code=uow.municipality_code, kind=found.kind,
                                 voided_at=now))
    body = {"certificate_id": str(command.certificate_id), "status": Status.VOIDED.value,
            "voided_at": now.isoformat()}
    return Outcome(body, accesses=[Access("certificate.voided", "certificate",
                                          [str(command.certificate_id)], ["status"])])
