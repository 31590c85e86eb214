"""When a certificate of a resident is issued, the register's access log says so: a resident
asking who looked at their data learns which clerk of which town issued it, under which grant.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.audit import record_accesses
from kyodo_common.auth import Principal
from kyodo_common.events import Envelope
from kyodo_residents.upstream.certificates import CertificateIssued


async def when_certificate_issued_log_access(
    session: AsyncSession, event: CertificateIssued, envelope: Envelope
) -> None:
    if event.subject_type != "resident" or event.issued_by is None:
        return  # a house's 罹災証明書, or an issuance from before issuers were published
    issuer = Principal(subject=event.issued_by,
                       home_municipality=event.issued_by_home or envelope.municipality,
                       kind="staff", roles=frozenset(), scopes=frozenset(), expires_at=0.0,
                       token_id="")
    await record_accesses(session, principal=issuer, acting_municipality=envelope.municipality,
                          action=f"certificate.issued.{event.kind}", subject_type="resident",
                          subject_ids=[str(i) for i in event.subject_ids],
                          fields=["certificate"], purpose=event.purpose,
                          grant_id=event.grant_id, occurred_at=envelope.time)
