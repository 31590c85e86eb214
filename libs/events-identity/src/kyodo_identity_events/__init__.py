"""Public events of the identity service (schemas other services consume)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from kyodo_common.events import DomainEvent
from kyodo_identity_events.tenant_config import TenantConfig

TOPIC = "kyodo.identity.v1"
TOPICS: dict[str, int] = {TOPIC: 3}


class MunicipalityConfigured(DomainEvent):
    """A municipality joined the platform or its tenant configuration changed."""

    event_type = "jp.kyodo.identity.municipality_configured.v1"
    topic = TOPIC

    code: str
    name: str
    name_en: str
    prefecture: str
    config: TenantConfig
    version: int

    @property
    def subject(self) -> str:
        return self.code


class SupportGrantCreated(DomainEvent):
    """応援: staff of another municipality may act for the grantor within the window."""

    event_type = "jp.kyodo.identity.support_grant_created.v1"
    topic = TOPIC

    grant_id: UUID
    grantor_municipality: str
    grantee_subject: str
    grantee_municipality: str
    scopes: list[str]
    valid_from: datetime
    valid_until: datetime
    disaster_ref: str | None

    @property
    def subject(self) -> str:
        return str(self.grant_id)


class SupportGrantRevoked(DomainEvent):
    """The grant ends now, before its window would have."""

    event_type = "jp.kyodo.identity.support_grant_revoked.v1"
    topic = TOPIC

    grant_id: UUID
    grantor_municipality: str
    grantee_subject: str
    grantee_municipality: str
    revoked_at: datetime

    @property
    def subject(self) -> str:
        return str(self.grant_id)
