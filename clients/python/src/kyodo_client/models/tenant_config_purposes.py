from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.local_purpose import LocalPurpose


T = TypeVar("T", bound="TenantConfigPurposes")


@_attrs_define
class TenantConfigPurposes:
    """this municipality's own purpose codes (local-…) with their labels; the platform's standard codes need no entry (ADR
    0013)

    """

    additional_properties: dict[str, LocalPurpose] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.local_purpose import LocalPurpose

        d = dict(src_dict)
        tenant_config_purposes = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = LocalPurpose.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        tenant_config_purposes.additional_properties = additional_properties
        return tenant_config_purposes

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> LocalPurpose:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: LocalPurpose) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
