from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ProtectionCreate")


@_attrs_define
class ProtectionCreate:
    """
    Attributes:
        starts_on (datetime.date): the first day of the 支援措置; it lasts one year
    """

    starts_on: datetime.date

    def to_dict(self) -> dict[str, Any]:
        starts_on = self.starts_on.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "starts_on": starts_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        starts_on = datetime.date.fromisoformat(d.pop("starts_on"))

        protection_create = cls(
            starts_on=starts_on,
        )

        return protection_create
