from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.sex import Sex
from ..types import UNSET, Unset

T = TypeVar("T", bound="ResidentCreate")


@_attrs_define
class ResidentCreate:
    """A registration into a new household of one (職権記載 with the person as head).

    Attributes:
        family_name (str): 氏
        given_name (str): 名
        family_name_kana (str): 氏 フリガナ
        given_name_kana (str): 名 フリガナ
        birth_date (datetime.date): 生年月日 (date of birth)
        sex (Sex):
        postal_code (str): 郵便番号 (postal code): 7 digits, with or without the hyphen (955-8686)
        address (str): 住所 (address) as written on the register, from the prefecture down
        confirm_not_duplicate (bool | Unset): the clerk checked the possible duplicates a 409 listed: this is somebody
            else Default: False.
    """

    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: datetime.date
    sex: Sex
    postal_code: str
    address: str
    confirm_not_duplicate: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        family_name = self.family_name

        given_name = self.given_name

        family_name_kana = self.family_name_kana

        given_name_kana = self.given_name_kana

        birth_date = self.birth_date.isoformat()

        sex = self.sex.value

        postal_code = self.postal_code

        address = self.address

        confirm_not_duplicate = self.confirm_not_duplicate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "family_name": family_name,
                "given_name": given_name,
                "family_name_kana": family_name_kana,
                "given_name_kana": given_name_kana,
                "birth_date": birth_date,
                "sex": sex,
                "postal_code": postal_code,
                "address": address,
            }
        )
        if confirm_not_duplicate is not UNSET:
            field_dict["confirm_not_duplicate"] = confirm_not_duplicate

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        family_name = d.pop("family_name")

        given_name = d.pop("given_name")

        family_name_kana = d.pop("family_name_kana")

        given_name_kana = d.pop("given_name_kana")

        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        sex = Sex(d.pop("sex"))

        postal_code = d.pop("postal_code")

        address = d.pop("address")

        confirm_not_duplicate = d.pop("confirm_not_duplicate", UNSET)

        resident_create = cls(
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            birth_date=birth_date,
            sex=sex,
            postal_code=postal_code,
            address=address,
            confirm_not_duplicate=confirm_not_duplicate,
        )

        return resident_create
