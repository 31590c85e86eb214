from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="IncomeLevyRates")


@_attrs_define
class IncomeLevyRates:
    """所得割 rates of this municipality (DOMAIN.md §1: per-tenant configuration), for a town
    that levies more (超過課税) or less than the standard; 調整控除 keeps its legal split.

        Attributes:
            municipal (str): 市町村民税所得割の税率 (standard 0.06, 指定都市 0.08)
            prefectural (str): 道府県民税所得割の税率 (standard 0.04, 指定都市 0.02)
    """

    municipal: str
    prefectural: str

    def to_dict(self) -> dict[str, Any]:
        municipal = self.municipal

        prefectural = self.prefectural

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "municipal": municipal,
                "prefectural": prefectural,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        municipal = d.pop("municipal")

        prefectural = d.pop("prefectural")

        income_levy_rates = cls(
            municipal=municipal,
            prefectural=prefectural,
        )

        return income_levy_rates
