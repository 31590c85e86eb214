from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChainVerdict")


@_attrs_define
class ChainVerdict:
    """
    Attributes:
        entries (int): the number of entries checked
        valid (bool): true when every entry's hash matches the chain
        first_broken_seq (int | None): the first entry whose hash does not match; null when valid
    """

    entries: int
    valid: bool
    first_broken_seq: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entries = self.entries

        valid = self.valid

        first_broken_seq: int | None
        first_broken_seq = self.first_broken_seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entries": entries,
                "valid": valid,
                "first_broken_seq": first_broken_seq,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        entries = d.pop("entries")

        valid = d.pop("valid")

        def _parse_first_broken_seq(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        first_broken_seq = _parse_first_broken_seq(d.pop("first_broken_seq"))

        chain_verdict = cls(
            entries=entries,
            valid=valid,
            first_broken_seq=first_broken_seq,
        )

        chain_verdict.additional_properties = d
        return chain_verdict

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
