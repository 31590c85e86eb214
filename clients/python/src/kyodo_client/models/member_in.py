from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.member_in_disability import MemberInDisability
from ..types import UNSET, Unset

T = TypeVar("T", bound="MemberIn")


@_attrs_define
class MemberIn:
    """
    Attributes:
        birth_date (datetime.date):
        disability (MemberInDisability | Unset):  Default: MemberInDisability.NONE.
        cohabiting_parent (bool | Unset): 同居老親等 Default: False.
    """

    birth_date: datetime.date
    disability: MemberInDisability | Unset = MemberInDisability.NONE
    cohabiting_parent: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        birth_date = self.birth_date.isoformat()

        disability: str | Unset = UNSET
        if not isinstance(self.disability, Unset):
            disability = self.disability.value

        cohabiting_parent = self.cohabiting_parent

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "birth_date": birth_date,
            }
        )
        if disability is not UNSET:
            field_dict["disability"] = disability
        if cohabiting_parent is not UNSET:
            field_dict["cohabiting_parent"] = cohabiting_parent

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        _disability = d.pop("disability", UNSET)
        disability: MemberInDisability | Unset
        if isinstance(_disability, Unset):
            disability = UNSET
        else:
            disability = MemberInDisability(_disability)

        cohabiting_parent = d.pop("cohabiting_parent", UNSET)

        member_in = cls(
            birth_date=birth_date,
            disability=disability,
            cohabiting_parent=cohabiting_parent,
        )

        return member_in
