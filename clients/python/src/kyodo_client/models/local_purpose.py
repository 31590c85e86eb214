from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LocalPurpose")


@_attrs_define
class LocalPurpose:
    """A purpose of reads this municipality adds to the platform's standard vocabulary.

    Attributes:
        label (str): the purpose in Japanese, as staff choose it
        label_en (None | str | Unset): the purpose in English
    """

    label: str
    label_en: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        label_en: None | str | Unset
        if isinstance(self.label_en, Unset):
            label_en = UNSET
        else:
            label_en = self.label_en

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "label": label,
            }
        )
        if label_en is not UNSET:
            field_dict["label_en"] = label_en

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        label = d.pop("label")

        def _parse_label_en(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label_en = _parse_label_en(d.pop("label_en", UNSET))

        local_purpose = cls(
            label=label,
            label_en=label_en,
        )

        return local_purpose
