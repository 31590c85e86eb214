from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MeasurePublic")


@_attrs_define
class MeasurePublic:
    """
    Attributes:
        id (UUID): the measure's id
        resident_id (UUID): the resident's id (住民 record) in this municipality
        starts_on (datetime.date): the first day of the 支援措置
        ends_on (datetime.date): the last day (1 year from the start, extended a year at a time)
        extensions (int): how many times it was extended
    """

    id: UUID
    resident_id: UUID
    starts_on: datetime.date
    ends_on: datetime.date
    extensions: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        resident_id = str(self.resident_id)

        starts_on = self.starts_on.isoformat()

        ends_on = self.ends_on.isoformat()

        extensions = self.extensions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "resident_id": resident_id,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "extensions": extensions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        resident_id = UUID(d.pop("resident_id"))

        starts_on = datetime.date.fromisoformat(d.pop("starts_on"))

        ends_on = datetime.date.fromisoformat(d.pop("ends_on"))

        extensions = d.pop("extensions")

        measure_public = cls(
            id=id,
            resident_id=resident_id,
            starts_on=starts_on,
            ends_on=ends_on,
            extensions=extensions,
        )

        measure_public.additional_properties = d
        return measure_public

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
