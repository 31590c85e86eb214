from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GranteePublic")


@_attrs_define
class GranteePublic:
    """
    Attributes:
        municipality_code (str): the grantee's home municipality
        staff_id (UUID): the grantee's staff id in their home municipality
        login (str): the staff member's login name within their municipality
    """

    municipality_code: str
    staff_id: UUID
    login: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        municipality_code = self.municipality_code

        staff_id = str(self.staff_id)

        login = self.login

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "municipality_code": municipality_code,
                "staff_id": staff_id,
                "login": login,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        municipality_code = d.pop("municipality_code")

        staff_id = UUID(d.pop("staff_id"))

        login = d.pop("login")

        grantee_public = cls(
            municipality_code=municipality_code,
            staff_id=staff_id,
            login=login,
        )

        grantee_public.additional_properties = d
        return grantee_public

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
