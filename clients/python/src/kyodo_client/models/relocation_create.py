from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RelocationCreate")


@_attrs_define
class RelocationCreate:
    """
    Attributes:
        effective_date (datetime.date): 異動日 of the 転居 (move within the municipality)
        postal_code (str): the new address's postal code
        address (str): the new address in this municipality
    """

    effective_date: datetime.date
    postal_code: str
    address: str

    def to_dict(self) -> dict[str, Any]:
        effective_date = self.effective_date.isoformat()

        postal_code = self.postal_code

        address = self.address

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_date": effective_date,
                "postal_code": postal_code,
                "address": address,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        postal_code = d.pop("postal_code")

        address = d.pop("address")

        relocation_create = cls(
            effective_date=effective_date,
            postal_code=postal_code,
            address=address,
        )

        return relocation_create
