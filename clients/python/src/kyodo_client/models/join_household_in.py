from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="JoinHouseholdIn")


@_attrs_define
class JoinHouseholdIn:
    """
    Attributes:
        household_id (UUID): the existing household to join
        relationship (str): 続柄, e.g. 子の妻
    """

    household_id: UUID
    relationship: str

    def to_dict(self) -> dict[str, Any]:
        household_id = str(self.household_id)

        relationship = self.relationship

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "household_id": household_id,
                "relationship": relationship,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        household_id = UUID(d.pop("household_id"))

        relationship = d.pop("relationship")

        join_household_in = cls(
            household_id=household_id,
            relationship=relationship,
        )

        return join_household_in
