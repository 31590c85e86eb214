from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="OccupantsSet")


@_attrs_define
class OccupantsSet:
    """
    Attributes:
        resident_ids (list[UUID]): the residents living in the house (replaces the list)
    """

    resident_ids: list[UUID]

    def to_dict(self) -> dict[str, Any]:
        resident_ids = []
        for resident_ids_item_data in self.resident_ids:
            resident_ids_item = str(resident_ids_item_data)
            resident_ids.append(resident_ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resident_ids": resident_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        resident_ids = []
        _resident_ids = d.pop("resident_ids")
        for resident_ids_item_data in _resident_ids:
            resident_ids_item = UUID(resident_ids_item_data)

            resident_ids.append(resident_ids_item)

        occupants_set = cls(
            resident_ids=resident_ids,
        )

        return occupants_set
