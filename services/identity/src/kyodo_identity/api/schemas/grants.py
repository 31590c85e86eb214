"""Support grants as the API shows them, and the gateway's view of the active ones."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from kyodo_common.paging import Page
from kyodo_common.text import MULTILINE
from kyodo_common.web import ApiModel
from kyodo_identity.api.schemas.staff import LOGIN_PATTERN
from kyodo_identity.domain.support_grant import status


class GranteeRef(ApiModel):
    """The staff member who receives the grant: by login or by id, in their municipality."""

    municipality_code: str = Field(pattern=r"^[0-9]{6}$")
    login: str | None = Field(default=None, pattern=LOGIN_PATTERN)
    staff_id: UUID | None = None

    @model_validator(mode="after")
    def _exactly_one_name(self) -> GranteeRef:
        if (self.login is None) == (self.staff_id is None):
            raise ValueError("give either login or staff_id")
        return self


class GrantCreate(ApiModel):
    grantee: GranteeRef
    scopes: list[str] = Field(min_length=1, max_length=10, examples=[["residents:read"]])
    valid_from: AwareDatetime | None = Field(default=None, description="default: now")
    valid_until: AwareDatetime = Field(description="at most 90 days after valid_from")
    disaster_ref: str | None = Field(default=None, min_length=1, max_length=100)
    note: Annotated[str | None, MULTILINE] = Field(default=None, max_length=1000)


class GranteePublic(BaseModel):
    municipality_code: str
    staff_id: UUID
    login: str


class GrantPublic(BaseModel):
    id: UUID
    grantor_municipality: str
    grantee: GranteePublic
    scopes: list[str]
    valid_from: datetime
    valid_until: datetime
    disaster_ref: str | None
    note: str | None
    status: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None

    @classmethod
    def from_row(cls, row: Any, *, now: datetime) -> GrantPublic:
        return cls(
            id=row.id, grantor_municipality=row.municipality_code,
            grantee=GranteePublic(municipality_code=row.grantee_municipality,
                                  staff_id=row.grantee_staff_id, login=row.grantee_login),
            scopes=sorted(row.scopes), valid_from=row.valid_from, valid_until=row.valid_until,
            disaster_ref=row.disaster_ref, note=row.note,
            status=status(valid_from=row.valid_from, valid_until=row.valid_until,
                          revoked_at=row.revoked_at, now=now),
            created_at=row.created_at, created_by=row.created_by, revoked_at=row.revoked_at,
            revoked_by=row.revoked_by)


GrantPage = Page[GrantPublic]


class ActiveGrant(BaseModel):
    grant_id: UUID
    grantor_municipality: str
    grantee_subject: str
    grantee_municipality: str
    scopes: list[str]
    valid_from: datetime
    valid_until: datetime


class ActiveGrants(BaseModel):
    generated_at: datetime
    grants: list[ActiveGrant]
