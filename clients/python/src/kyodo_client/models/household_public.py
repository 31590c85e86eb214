from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.resident_state import ResidentState


T = TypeVar("T", bound="HouseholdPublic")


@_attrs_define
class HouseholdPublic:
    """
    Attributes:
        id (UUID): the household's id
        household_number (str): 世帯番号 (household number): digits with a Modulus 11 check digit
        head_id (None | UUID): the 世帯主's (household head) resident id
        postal_code (str): the household's postal code
        address (str): the household's address
        formed_on (datetime.date): the date the household was formed
        dissolved_on (datetime.date | None): the date it ceased (last member left); null while it exists
        version (int): the record's version, incremented on every change; its ETag is W/"<version>"
        members (list[ResidentState]): in certificate order
    """

    id: UUID
    household_number: str
    head_id: None | UUID
    postal_code: str
    address: str
    formed_on: datetime.date
    dissolved_on: datetime.date | None
    version: int
    members: list[ResidentState]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        household_number = self.household_number

        head_id: None | str
        if isinstance(self.head_id, UUID):
            head_id = str(self.head_id)
        else:
            head_id = self.head_id

        postal_code = self.postal_code

        address = self.address

        formed_on = self.formed_on.isoformat()

        dissolved_on: None | str
        if isinstance(self.dissolved_on, datetime.date):
            dissolved_on = self.dissolved_on.isoformat()
        else:
            dissolved_on = self.dissolved_on

        version = self.version

        members = []
        for members_item_data in self.members:
            members_item = members_item_data.to_dict()
            members.append(members_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "household_number": household_number,
                "head_id": head_id,
                "postal_code": postal_code,
                "address": address,
                "formed_on": formed_on,
                "dissolved_on": dissolved_on,
                "version": version,
                "members": members,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.resident_state import ResidentState

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        household_number = d.pop("household_number")

        def _parse_head_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                head_id_type_0 = UUID(data)

                return head_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        head_id = _parse_head_id(d.pop("head_id"))

        postal_code = d.pop("postal_code")

        address = d.pop("address")

        formed_on = datetime.date.fromisoformat(d.pop("formed_on"))

        def _parse_dissolved_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                dissolved_on_type_0 = datetime.date.fromisoformat(data)

                return dissolved_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        dissolved_on = _parse_dissolved_on(d.pop("dissolved_on"))

        version = d.pop("version")

        members = []
        _members = d.pop("members")
        for members_item_data in _members:
            members_item = ResidentState.from_dict(members_item_data)

            members.append(members_item)

        household_public = cls(
            id=id,
            household_number=household_number,
            head_id=head_id,
            postal_code=postal_code,
            address=address,
            formed_on=formed_on,
            dissolved_on=dissolved_on,
            version=version,
            members=members,
        )

        household_public.additional_properties = d
        return household_public

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
