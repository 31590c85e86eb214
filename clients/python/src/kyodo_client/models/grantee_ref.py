from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="GranteeRef")


@_attrs_define
class GranteeRef:
    """The staff member who receives the grant: by login or by id, in their municipality.

    Attributes:
        municipality_code (str): the grantee's home municipality
        login (None | str | Unset): the grantee's login (give this or staff_id)
        staff_id (None | Unset | UUID): the grantee's staff id (give this or login)
    """

    municipality_code: str
    login: None | str | Unset = UNSET
    staff_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        municipality_code = self.municipality_code

        login: None | str | Unset
        if isinstance(self.login, Unset):
            login = UNSET
        else:
            login = self.login

        staff_id: None | str | Unset
        if isinstance(self.staff_id, Unset):
            staff_id = UNSET
        elif isinstance(self.staff_id, UUID):
            staff_id = str(self.staff_id)
        else:
            staff_id = self.staff_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "municipality_code": municipality_code,
            }
        )
        if login is not UNSET:
            field_dict["login"] = login
        if staff_id is not UNSET:
            field_dict["staff_id"] = staff_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        municipality_code = d.pop("municipality_code")

        def _parse_login(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        login = _parse_login(d.pop("login", UNSET))

        def _parse_staff_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                staff_id_type_0 = UUID(data)

                return staff_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        staff_id = _parse_staff_id(d.pop("staff_id", UNSET))

        grantee_ref = cls(
            municipality_code=municipality_code,
            login=login,
            staff_id=staff_id,
        )

        return grantee_ref
