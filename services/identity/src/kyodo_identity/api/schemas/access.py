"""What the gateway reads from identity to admit requests: grants and revocations in force."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from kyodo_identity.api.schemas.grants import ActiveGrant


class Revocation(BaseModel):
    """A revoked access token (token_id), or every token of a disabled subject (no token_id)."""

    municipality_code: str
    subject: str
    token_id: str | None
    expires_at: datetime


class AccessSnapshot(BaseModel):
    generated_at: datetime
    grants: list[ActiveGrant]
    revocations: list[Revocation]


class AccessVersion(BaseModel):
    """``version`` changes when grants or revocations may have; when ``listening`` is false
    identity cannot tell, and the snapshot must be read again."""

    version: str
    listening: bool
