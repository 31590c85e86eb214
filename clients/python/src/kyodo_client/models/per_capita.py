from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PerCapita")


@_attrs_define
class PerCapita:
    """均等割: per-capita resident tax amounts in yen.

    Attributes:
        municipal (int): 市町村民税均等割
        prefectural (int): 道府県民税均等割 (with local add-ons)
        forest_env (int): 森林環境税
    """

    municipal: int
    prefectural: int
    forest_env: int

    def to_dict(self) -> dict[str, Any]:
        municipal = self.municipal

        prefectural = self.prefectural

        forest_env = self.forest_env

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "municipal": municipal,
                "prefectural": prefectural,
                "forest_env": forest_env,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        municipal = d.pop("municipal")

        prefectural = d.pop("prefectural")

        forest_env = d.pop("forest_env")

        per_capita = cls(
            municipal=municipal,
            prefectural=prefectural,
            forest_env=forest_env,
        )

        return per_capita
