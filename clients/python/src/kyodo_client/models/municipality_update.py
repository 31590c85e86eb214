from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.tenant_config import TenantConfig


T = TypeVar("T", bound="MunicipalityUpdate")


@_attrs_define
class MunicipalityUpdate:
    """
    Attributes:
        name (str): the municipality's name in Japanese, e.g. 三条市
        name_en (str): the municipality's name in English, e.g. Sanjo
        prefecture (str): 都道府県 (prefecture), e.g. 新潟県
        config (TenantConfig): What varies between municipalities on the shared platform.
    """

    name: str
    name_en: str
    prefecture: str
    config: TenantConfig

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        name_en = self.name_en

        prefecture = self.prefecture

        config = self.config.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "name_en": name_en,
                "prefecture": prefecture,
                "config": config,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tenant_config import TenantConfig

        d = dict(src_dict)
        name = d.pop("name")

        name_en = d.pop("name_en")

        prefecture = d.pop("prefecture")

        config = TenantConfig.from_dict(d.pop("config"))

        municipality_update = cls(
            name=name,
            name_en=name_en,
            prefecture=prefecture,
            config=config,
        )

        return municipality_update
