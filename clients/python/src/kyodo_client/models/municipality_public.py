from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tenant_config import TenantConfig


T = TypeVar("T", bound="MunicipalityPublic")


@_attrs_define
class MunicipalityPublic:
    """
    Attributes:
        code (str): 全国地方公共団体コード (local government code), 6 digits
        name (str): the municipality's name in Japanese
        name_en (str): the municipality's name in English
        prefecture (str): 都道府県 (prefecture)
        config (TenantConfig): What varies between municipalities on the shared platform.
        version (int): the record's version, incremented on every change; its ETag is W/"<version>"
        created_at (datetime.datetime): when the municipality joined the platform
        updated_at (datetime.datetime): when its settings last changed
    """

    code: str
    name: str
    name_en: str
    prefecture: str
    config: TenantConfig
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        name_en = self.name_en

        prefecture = self.prefecture

        config = self.config.to_dict()

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "name": name,
                "name_en": name_en,
                "prefecture": prefecture,
                "config": config,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tenant_config import TenantConfig

        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        name_en = d.pop("name_en")

        prefecture = d.pop("prefecture")

        config = TenantConfig.from_dict(d.pop("config"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        municipality_public = cls(
            code=code,
            name=name,
            name_en=name_en,
            prefecture=prefecture,
            config=config,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
        )

        municipality_public.additional_properties = d
        return municipality_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
