from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StaffPublic")


@_attrs_define
class StaffPublic:
    """
    Attributes:
        id (UUID): the staff member's id
        municipality_code (str): the municipality's 6-digit local government code (全国地方公共団体コード)
        login (str): the staff member's login name within their municipality
        roles (list[str]): the staff member's roles
        disabled (bool): true once disabled: the staff member can no longer log in
        locked_until (datetime.datetime | None): until when login is locked after failed attempts
        created_at (datetime.datetime): when the record was created (ISO 8601, UTC)
        password_changed_at (datetime.datetime | None): when the password was last changed
        version (int): the record's version, incremented on every change; its ETag is W/"<version>"
    """

    id: UUID
    municipality_code: str
    login: str
    roles: list[str]
    disabled: bool
    locked_until: datetime.datetime | None
    created_at: datetime.datetime
    password_changed_at: datetime.datetime | None
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        municipality_code = self.municipality_code

        login = self.login

        roles = self.roles

        disabled = self.disabled

        locked_until: None | str
        if isinstance(self.locked_until, datetime.datetime):
            locked_until = self.locked_until.isoformat()
        else:
            locked_until = self.locked_until

        created_at = self.created_at.isoformat()

        password_changed_at: None | str
        if isinstance(self.password_changed_at, datetime.datetime):
            password_changed_at = self.password_changed_at.isoformat()
        else:
            password_changed_at = self.password_changed_at

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "municipality_code": municipality_code,
                "login": login,
                "roles": roles,
                "disabled": disabled,
                "locked_until": locked_until,
                "created_at": created_at,
                "password_changed_at": password_changed_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        municipality_code = d.pop("municipality_code")

        login = d.pop("login")

        roles = cast(list[str], d.pop("roles"))

        disabled = d.pop("disabled")

        def _parse_locked_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                locked_until_type_0 = datetime.datetime.fromisoformat(data)

                return locked_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        locked_until = _parse_locked_until(d.pop("locked_until"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_password_changed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                password_changed_at_type_0 = datetime.datetime.fromisoformat(data)

                return password_changed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        password_changed_at = _parse_password_changed_at(d.pop("password_changed_at"))

        version = d.pop("version")

        staff_public = cls(
            id=id,
            municipality_code=municipality_code,
            login=login,
            roles=roles,
            disabled=disabled,
            locked_until=locked_until,
            created_at=created_at,
            password_changed_at=password_changed_at,
            version=version,
        )

        staff_public.additional_properties = d
        return staff_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
