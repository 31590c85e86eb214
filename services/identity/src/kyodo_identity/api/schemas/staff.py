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
    login: str = Field(pattern=LOGIN_PATTERN, examples=["tanaka.h"],
                       description="the login, unique in the municipality")
    initial_password: str = Field(min_length=1, max_length=200,
                                  description="the first password, to be changed at first login")
    roles: list[str] = Field(min_length=1, max_length=10, examples=[["counter_clerk"]],
                             description="the staff member's roles, e.g. counter_clerk")


class RolesUpdate(ApiModel):
    roles: list[str] = Field(min_length=1, max_length=10,
                             description="the staff member's roles, replacing the current ones")


class PasswordChange(ApiModel):
    current_password: str = Field(min_length=1, max_length=200,
                                  description="the password in use now")
    new_password: str = Field(min_length=1, max_length=200,
                              description="the new password (the password policy applies)")


class StaffPublic(BaseModel):
    id: UUID = Field(description="the staff member's id")
    municipality_code: str = Field(
        description="the municipality's 6-digit local government code (全国地方公共団体コード)")
    login: str = Field(description="the staff member's login name within their municipality")
    roles: list[str] = Field(description="the staff member's roles")
    disabled: bool = Field(description="true once disabled: the staff member can no longer log in")
    locked_until: datetime | None = Field(
        description="until when login is locked after failed attempts")
    created_at: datetime = Field(description="when the record was created (ISO 8601, UTC)")
    password_changed_at: datetime | None = Field(description="when the password was last changed")
    version: int = Field(
        description="the record's version, incremented on every change; its ETag is "
                    "W/\"<version>\"")

    @classmethod
    def from_row(cls, row: Any) -> StaffPublic:
        return cls(id=row.id, municipality_code=row.municipality_code, login=row.login,
                   roles=sorted(row.roles), disabled=row.disabled_at is not None,
                   locked_until=row.locked_until, created_at=row.created_at,
                   password_changed_at=row.password_changed_at, version=row.version)


StaffPage = Page[StaffPublic]
