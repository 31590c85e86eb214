"""When a certificate of a resident is issued, the register's access log says so: a resident
asking who looked at their data learns which clerk of which town issued it, under which grant.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.auth import Principal
from kyodo_common.events import Envelope
from kyodo_residents.upstream.certificates import CertificateIssued


async def when_certificate_issued_log_access(
    uow: Any, event: CertificateIssued, envelope: Envelope
) -> None:
    """``uow``: the inbox's unit of work with the register's store (RegisterInboxUnitOfWork)."""
    if event.subject_type != "resident" or event.issued_by is None:
        return  # a house's 罹災証明書, or an issuance from before issuers were published
    issuer = Principal(subject=event.issued_by,
                       home_municipality=event.issued_by_home or envelope.municipality,
                       kind="staff", roles=frozenset(), scopes=frozenset(), expires_at=0.0,
                       token_id="")
    await uow.store.log_access(principal=issuer, acting_municipality=envelope.municipality,
                               action=f"certificate.issued.{event.kind}",
                               subject_ids=event.subject_ids, fields=["certificate"],
                               purpose=event.purpose, grant_id=event.grant_id,
                               occurred_at=envelope.time)
