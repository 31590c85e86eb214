"""Partner API clients as the API shows them; a secret appears once, at creation or rotation."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.paging import Page
from kyodo_common.web import ApiModel
from kyodo_identity.domain.client_credentials import MAX_OVERLAP_SECONDS


class ClientCreate(ApiModel):
    name: str = Field(min_length=1, max_length=100, examples=["税務システム連携"])
    scopes: list[str] = Field(min_length=1, max_length=20, examples=[["residents:read"]])


class SecretRotation(ApiModel):
    overlap_seconds: int | None = Field(
        default=None, ge=0, le=MAX_OVERLAP_SECONDS,
        description="how long the current secrets stay valid; default 24 hours")


class SecretInfo(BaseModel):
    id: UUID
    created_at: datetime
    expires_at: datetime | None


class ClientPublic(BaseModel):
    client_id: str
    municipality_code: str
    name: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None
    secrets: list[SecretInfo]

    @classmethod
    def from_rows(cls, row: Any, secrets: list[Any]) -> ClientPublic:
        return cls(client_id=row.client_id, municipality_code=row.municipality_code,
                   name=row.name, scopes=sorted(row.scopes), created_at=row.created_at,
                   revoked_at=row.revoked_at,
                   secrets=[SecretInfo(id=s.id, created_at=s.created_at,
                                       expires_at=s.expires_at) for s in secrets])


class ClientCreated(BaseModel):
    client_id: str
    # None in a replay of the creating request: the secret is never stored in clear.
    client_secret: str | None
    client: ClientPublic


class SecretRotated(BaseModel):
    client_id: str
    client_secret: str | None
    previous_secrets_valid_until: datetime | None


ClientList = Page[ClientPublic]
