from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OccupantSearch")


@_attrs_define
class OccupantSearch:
    """Who is registered at an address (only inside the disaster's affected area).

    Attributes:
        address (str):
        postal_code (str):
    """

    address: str
    postal_code: str

    def to_dict(self) -> dict[str, Any]:
        address = self.address

        postal_code = self.postal_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "address": address,
                "postal_code": postal_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        address = d.pop("address")

        postal_code = d.pop("postal_code")

        occupant_search = cls(
            address=address,
            postal_code=postal_code,
        )

        return occupant_search
