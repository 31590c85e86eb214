from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MyNumberSet")


@_attrs_define
class MyNumberSet:
    """
    Attributes:
        my_number (str): 個人番号 (My Number): 12 digits with a check digit; never logged or put in events
        effective_date (datetime.date): the date of the change (個人番号変更)
    """

    my_number: str
    effective_date: datetime.date

    def to_dict(self) -> dict[str, Any]:
        my_number = self.my_number

        effective_date = self.effective_date.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "my_number": my_number,
                "effective_date": effective_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        my_number = d.pop("my_number")

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        my_number_set = cls(
            my_number=my_number,
            effective_date=effective_date,
        )

        return my_number_set
