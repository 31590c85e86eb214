from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SupportOut")


@_attrs_define
class SupportOut:
    """被災者生活再建支援金 (yen): None where an unverified rule would decide the amount.

    Attributes:
        eligible (bool): whether the household qualifies
        rebuilding_method (str): how the home is rebuilt (建設・購入, 補修, 賃借), which sets the additional amount
        base (int | None): 基礎支援金 (base payment), yen
        additional (int | None): 加算支援金 (additional payment for rebuilding), yen
        total (int | None): base + additional, yen
        unverified_rules (list[str]): rules marked unverified that would decide an amount
    """

    eligible: bool
    rebuilding_method: str
    base: int | None
    additional: int | None
    total: int | None
    unverified_rules: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        eligible = self.eligible

        rebuilding_method = self.rebuilding_method

        base: int | None
        base = self.base

        additional: int | None
        additional = self.additional

        total: int | None
        total = self.total

        unverified_rules = self.unverified_rules

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "eligible": eligible,
                "rebuilding_method": rebuilding_method,
                "base": base,
                "additional": additional,
                "total": total,
                "unverified_rules": unverified_rules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        eligible = d.pop("eligible")

        rebuilding_method = d.pop("rebuilding_method")

        def _parse_base(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        base = _parse_base(d.pop("base"))

        def _parse_additional(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        additional = _parse_additional(d.pop("additional"))

        def _parse_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        total = _parse_total(d.pop("total"))

        unverified_rules = cast(list[str], d.pop("unverified_rules"))

        support_out = cls(
            eligible=eligible,
            rebuilding_method=rebuilding_method,
            base=base,
            additional=additional,
            total=total,
            unverified_rules=unverified_rules,
        )

        support_out.additional_properties = d
        return support_out

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
