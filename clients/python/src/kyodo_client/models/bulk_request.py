from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="BulkRequest")


@_attrs_define
class BulkRequest:
    """
    Attributes:
        fiscal_year (int): 年度, e.g. 2026 for 令和8年度
    """

    fiscal_year: int

    def to_dict(self) -> dict[str, Any]:
        fiscal_year = self.fiscal_year

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fiscal_year": fiscal_year,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fiscal_year = d.pop("fiscal_year")

        bulk_request = cls(
            fiscal_year=fiscal_year,
        )

        return bulk_request
