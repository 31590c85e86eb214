from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.initial_admin import InitialAdmin
    from ..models.tenant_config import TenantConfig


T = TypeVar("T", bound="MunicipalityCreate")


@_attrs_define
class MunicipalityCreate:
    """
    Attributes:
        name (str): the municipality's name in Japanese, e.g. 三条市
        name_en (str): the municipality's name in English, e.g. Sanjo
        prefecture (str): 都道府県 (prefecture), e.g. 新潟県
        config (TenantConfig): What varies between municipalities on the shared platform.
        code (str): 全国地方公共団体コード, 6 digits with check digit
        admin (InitialAdmin | None | Unset): its first tenant admin
    """

    name: str
    name_en: str
    prefecture: str
    config: TenantConfig
    code: str
    admin: InitialAdmin | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.initial_admin import InitialAdmin

        name = self.name

        name_en = self.name_en

        prefecture = self.prefecture

        config = self.config.to_dict()

        code = self.code

        admin: dict[str, Any] | None | Unset
        if isinstance(self.admin, Unset):
            admin = UNSET
        elif isinstance(self.admin, InitialAdmin):
            admin = self.admin.to_dict()
        else:
            admin = self.admin

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "name_en": name_en,
                "prefecture": prefecture,
                "config": config,
                "code": code,
            }
        )
        if admin is not UNSET:
            field_dict["admin"] = admin

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.initial_admin import InitialAdmin
        from ..models.tenant_config import TenantConfig

        d = dict(src_dict)
        name = d.pop("name")

        name_en = d.pop("name_en")

        prefecture = d.pop("prefecture")

        config = TenantConfig.from_dict(d.pop("config"))

        code = d.pop("code")

        def _parse_admin(data: object) -> InitialAdmin | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                admin_type_0 = InitialAdmin.from_dict(data)

                return admin_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InitialAdmin | None | Unset, data)

        admin = _parse_admin(d.pop("admin", UNSET))

        municipality_create = cls(
            name=name,
            name_en=name_en,
            prefecture=prefecture,
            config=config,
            code=code,
            admin=admin,
        )

        return municipality_create
