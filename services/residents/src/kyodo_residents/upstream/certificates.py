"""交付: the certificates service's issuance events, as the register's access log takes them.

Expected on `kyodo.certificates.v1`, one event per issued copy, published by the municipality
in whose name the certificate was issued; staff ids only, never personal data.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import ConfigDict

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.certificates.v1"


class CertificateIssued(DomainEvent):
    model_config = ConfigDict(frozen=True, extra="ignore")
    event_type: ClassVar[str] = "jp.kyodo.certificate.issued.v1"
    topic: ClassVar[str] = TOPIC

    certificate_id: UUID
    kind: str  # residence | tax | damage | damage_report
    issued_on: date
    subject_ids: tuple[UUID, ...]
    subject_type: str = "resident"
    issued_by: str | None = None
    issued_by_home: str | None = None
    grant_id: str | None = None
    purpose: str | None = None

    @property
    def subject(self) -> str:
        return str(self.certificate_id)
