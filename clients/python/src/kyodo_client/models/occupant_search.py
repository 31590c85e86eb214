from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OccupantSearch")


@_attrs_define
class OccupantSearch:
    """Who is registered at an address (only inside the disaster's affected area).

    Attributes:
        address (str): the address to look up
        postal_code (str): its postal code
        limit (int | Unset): people per page Default: 50.
        cursor (None | str | Unset): the `next` of the previous page
    """

    address: str
    postal_code: str
    limit: int | Unset = 50
    cursor: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        address = self.address

        postal_code = self.postal_code

        limit = self.limit

        cursor: None | str | Unset
        if isinstance(self.cursor, Unset):
            cursor = UNSET
        else:
            cursor = self.cursor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "address": address,
                "postal_code": postal_code,
            }
        )
        if limit is not UNSET:
            field_dict["limit"] = limit
        if cursor is not UNSET:
            field_dict["cursor"] = cursor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        address = d.pop("address")

        postal_code = d.pop("postal_code")

        limit = d.pop("limit", UNSET)

        def _parse_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cursor = _parse_cursor(d.pop("cursor", UNSET))

        occupant_search = cls(
            address=address,
            postal_code=postal_code,
            limit=limit,
            cursor=cursor,
        )

        return occupant_search
