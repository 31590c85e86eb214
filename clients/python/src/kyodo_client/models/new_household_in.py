from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="NewHouseholdIn")


@_attrs_define
class NewHouseholdIn:
    """
    Attributes:
        postal_code (str): the new household's postal code
        address (str): the new household's address
    """

    postal_code: str
    address: str

    def to_dict(self) -> dict[str, Any]:
        postal_code = self.postal_code

        address = self.address

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "postal_code": postal_code,
                "address": address,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        postal_code = d.pop("postal_code")

        address = d.pop("address")

        new_household_in = cls(
            postal_code=postal_code,
            address=address,
        )

        return new_household_in
