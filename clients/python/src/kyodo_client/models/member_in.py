from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.member_in_disability import MemberInDisability
from ..types import UNSET, Unset

T = TypeVar("T", bound="MemberIn")


@_attrs_define
class MemberIn:
    """
    Attributes:
        birth_date (datetime.date): the member's date of birth (ages are taken on 31 December)
        platform_person_id (None | Unset | UUID): the spouse's or dependant's person on the platform, if known: their
            own 課税証明書 then shows ＊ while they declare nothing (DOMAIN.md §5)
        disability (MemberInDisability | Unset): 障害者 status: none, general, special or special_cohabiting Default:
            MemberInDisability.NONE.
        cohabiting_parent (bool | Unset): 同居老親等 Default: False.
    """

    birth_date: datetime.date
    platform_person_id: None | Unset | UUID = UNSET
    disability: MemberInDisability | Unset = MemberInDisability.NONE
    cohabiting_parent: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        birth_date = self.birth_date.isoformat()

        platform_person_id: None | str | Unset
        if isinstance(self.platform_person_id, Unset):
            platform_person_id = UNSET
        elif isinstance(self.platform_person_id, UUID):
            platform_person_id = str(self.platform_person_id)
        else:
            platform_person_id = self.platform_person_id

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
        if platform_person_id is not UNSET:
            field_dict["platform_person_id"] = platform_person_id
        if disability is not UNSET:
            field_dict["disability"] = disability
        if cohabiting_parent is not UNSET:
            field_dict["cohabiting_parent"] = cohabiting_parent

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        def _parse_platform_person_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                platform_person_id_type_0 = UUID(data)

                return platform_person_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        platform_person_id = _parse_platform_person_id(
            d.pop("platform_person_id", UNSET)
        )

        _disability = d.pop("disability", UNSET)
        disability: MemberInDisability | Unset
        if isinstance(_disability, Unset):
            disability = UNSET
        else:
            disability = MemberInDisability(_disability)

        cohabiting_parent = d.pop("cohabiting_parent", UNSET)

        member_in = cls(
            birth_date=birth_date,
            platform_person_id=platform_person_id,
            disability=disability,
            cohabiting_parent=cohabiting_parent,
        )

        return member_in
