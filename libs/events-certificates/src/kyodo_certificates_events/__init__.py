"""Public events of the certificates service: ids, kinds and dates, never personal data."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.certificates.v1"
TOPICS: dict[str, int] = {TOPIC: 6}


class CertificateIssued(DomainEvent):
    """交付: one copy of a certificate was issued (each copy has its own number and code)."""

    event_type: ClassVar[str] = "jp.kyodo.certificate.issued.v1"
    topic: ClassVar[str] = TOPIC

    certificate_id: UUID
    issuance_id: UUID
    municipality_code: str
    kind: str  # residence | tax | damage | damage_report
    issued_on: date
    copy_number: int
    copies: int
    pages: int
    fee_yen: int
    subject_ids: tuple[UUID, ...]  # residents (or damage assessments) it certifies
    key_id: str
    # Who issued it (staff ids, no personal data), so that the register's access log can tell
    # a resident which town's clerk issued a certificate of them, under which grant and why.
    subject_type: str = "resident"  # resident | damage_assessment
    issued_by: str | None = None
    issued_by_home: str | None = None
    grant_id: str | None = None
    purpose: str | None = None

    @property
    def subject(self) -> str:
        return str(self.certificate_id)


class CertificateVoided(DomainEvent):
    """無効: the copy is void from now on; verification says so (the reason stays inside)."""

    event_type: ClassVar[str] = "jp.kyodo.certificate.voided.v1"
    topic: ClassVar[str] = TOPIC

    certificate_id: UUID
    municipality_code: str
    kind: str
    voided_at: datetime

    @property
    def subject(self) -> str:
        return str(self.certificate_id)


ALL_EVENTS: tuple[type[DomainEvent], ...] = (CertificateIssued, CertificateVoided)
