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
    name: str = Field(min_length=1, max_length=100, examples=["税務システム連携"],
                      description="what the partner system is, for people (e.g. 税務システム連携)")
    scopes: list[str] = Field(min_length=1, max_length=20, examples=[["residents:read"]],
                              description="the scopes the client may ask for (client credentials)")


class SecretRotation(ApiModel):
    overlap_seconds: int | None = Field(
        default=None, ge=0, le=MAX_OVERLAP_SECONDS,
        description="how long the current secrets stay valid; default 24 hours")


class SecretInfo(BaseModel):
    id: UUID = Field(description="the secret's id")
    created_at: datetime = Field(description="when the secret was issued")
    expires_at: datetime | None = Field(
        description="when the secret stops working (set on rotation); null for the current one")


class ClientPublic(BaseModel):
    client_id: str = Field(description="the OAuth client id")
    municipality_code: str = Field(
        description="the municipality's 6-digit local government code (全国地方公共団体コード)")
    name: str = Field(description="what the partner system is, for people")
    scopes: list[str] = Field(description="the scopes the client may ask for")
    created_at: datetime = Field(description="when the client was registered")
    revoked_at: datetime | None = Field(
        description="when the client was revoked; null while active")
    secrets: list[SecretInfo] = Field(
        description="the client's current secrets (never their values)")

    @classmethod
    def from_rows(cls, row: Any, secrets: list[Any]) -> ClientPublic:
        return cls(client_id=row.client_id, municipality_code=row.municipality_code,
                   name=row.name, scopes=sorted(row.scopes), created_at=row.created_at,
                   revoked_at=row.revoked_at,
                   secrets=[SecretInfo(id=s.id, created_at=s.created_at,
                                       expires_at=s.expires_at) for s in secrets])


class ClientCreated(BaseModel):
    client_id: str = Field(description="the OAuth client id")
    # None in a replay of the creating request: the secret is never stored in clear.
    client_secret: str | None = Field(
        description="the client secret: shown once, only in this answer")
    client: ClientPublic = Field(description="the client as registered")


class SecretRotated(BaseModel):
    client_id: str = Field(description="the OAuth client id")
    client_secret: str | None = Field(description="the new secret: shown once, only in this answer")
    previous_secrets_valid_until: datetime | None = Field(
        description="until when the previous secrets keep working, to roll the change out")


ClientList = Page[ClientPublic]
