"""Staff accounts as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.paging import Page
from kyodo_common.web import ApiModel

LOGIN_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"


class StaffCreate(ApiModel):
    login: str = Field(pattern=LOGIN_PATTERN, examples=["tanaka.h"])
    initial_password: str = Field(min_length=1, max_length=200)
    roles: list[str] = Field(min_length=1, max_length=10, examples=[["counter_clerk"]])


class RolesUpdate(ApiModel):
    roles: list[str] = Field(min_length=1, max_length=10)


class PasswordChange(ApiModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class StaffPublic(BaseModel):
    id: UUID
    municipality_code: str
    login: str
    roles: list[str]
    disabled: bool
    locked_until: datetime | None
    created_at: datetime
    password_changed_at: datetime | None
    version: int

    @classmethod
    def from_row(cls, row: Any) -> StaffPublic:
        return cls(id=row.id, municipality_code=row.municipality_code, login=row.login,
                   roles=sorted(row.roles), disabled=row.disabled_at is not None,
                   locked_until=row.locked_until, created_at=row.created_at,
                   password_changed_at=row.password_changed_at, version=row.version)


StaffPage = Page[StaffPublic]
