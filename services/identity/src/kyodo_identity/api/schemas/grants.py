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

    municipality_code: str = Field(pattern=r"^[0-9]{6}$",
                                   description="the grantee's home municipality")
    login: str | None = Field(default=None, pattern=LOGIN_PATTERN,
                              description="the grantee's login (give this or staff_id)")
    staff_id: UUID | None = Field(
        default=None,
        description="the grantee's staff id (give this or login)")

    @model_validator(mode="after")
    def _exactly_one_name(self) -> GranteeRef:
        if (self.login is None) == (self.staff_id is None):
            raise ValueError("give either login or staff_id")
        return self


class GrantCreate(ApiModel):
    grantee: GranteeRef = Field(
        description="the staff member of the supporting municipality (対口支援) who receives the "
                    "grant")
    scopes: list[str] = Field(min_length=1, max_length=10, examples=[["residents:read"]],
                              description="what the grantee may do here, within their own roles")
    valid_from: AwareDatetime | None = Field(default=None, description="default: now")
    valid_until: AwareDatetime = Field(description="at most 90 days after valid_from")
    disaster_ref: str | None = Field(default=None, min_length=1, max_length=100,
                                     description="the disaster or reason the support is for")
    note: Annotated[str | None, MULTILINE] = Field(default=None, max_length=1000,
                                                   description="a note for the audit trail")


class GranteePublic(BaseModel):
    municipality_code: str = Field(description="the grantee's home municipality")
    staff_id: UUID = Field(description="the grantee's staff id in their home municipality")
    login: str = Field(description="the staff member's login name within their municipality")


class GrantPublic(BaseModel):
    id: UUID = Field(description="the grant's id")
    grantor_municipality: str = Field(
        description="the municipality that granted access (the stricken one)")
    grantee: GranteePublic = Field(description="the staff member who received the grant")
    scopes: list[str] = Field(description="what the grantee may do here")
    valid_from: datetime = Field(description="when the grant starts")
    valid_until: datetime = Field(description="when the grant ends (time-boxed)")
    disaster_ref: str | None = Field(description="the disaster or reason the support is for")
    note: str | None = Field(description="a note for the audit trail")
    status: str = Field(description="active, expired or revoked")
    created_at: datetime = Field(description="when the grant was made")
    created_by: str = Field(description="who made the grant")
    revoked_at: datetime | None = Field(
        description="when the grant was revoked; null unless revoked")
    revoked_by: str | None = Field(description="who revoked the grant")

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
