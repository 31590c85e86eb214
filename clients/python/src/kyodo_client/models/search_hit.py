from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SearchHit")


@_attrs_define
class SearchHit:
    """
    Attributes:
        id (UUID): the resident's id
        resident_number (str): 宛名番号 (resident number): 10 digits with a Modulus 11 check digit
        family_name (str): 氏 (family name) in kanji, as registered
        given_name (str): 名 (given name) in kanji, as registered
        family_name_kana (str): 氏 フリガナ (family name reading) in full-width katakana
        given_name_kana (str): 名 フリガナ (given name reading) in full-width katakana
        birth_date (datetime.date | None): 生年月日 (date of birth), ISO 8601
        birth_date_partial (None | str): a partly unknown date of birth: YYYY, YYYY-MM or XXXX; a trailing ~ means 頃
            (about)
        address (str): the current address
        status (str): resident, announced (転出 filed for a later day), moved_out, dead or removed
        protected (bool): under a 支援措置 (DV/stalking protection measure): the record is not disclosed to third parties
    """

    id: UUID
    resident_number: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: datetime.date | None
    birth_date_partial: None | str
    address: str
    status: str
    protected: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        resident_number = self.resident_number

        family_name = self.family_name

        given_name = self.given_name

        family_name_kana = self.family_name_kana

        given_name_kana = self.given_name_kana

        birth_date: None | str
        if isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        birth_date_partial: None | str
        birth_date_partial = self.birth_date_partial

        address = self.address

        status = self.status

        protected = self.protected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "resident_number": resident_number,
                "family_name": family_name,
                "given_name": given_name,
                "family_name_kana": family_name_kana,
                "given_name_kana": given_name_kana,
                "birth_date": birth_date,
                "birth_date_partial": birth_date_partial,
                "address": address,
                "status": status,
                "protected": protected,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        resident_number = d.pop("resident_number")

        family_name = d.pop("family_name")

        given_name = d.pop("given_name")

        family_name_kana = d.pop("family_name_kana")

        given_name_kana = d.pop("given_name_kana")

        def _parse_birth_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                birth_date_type_0 = datetime.date.fromisoformat(data)

                return birth_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        birth_date = _parse_birth_date(d.pop("birth_date"))

        def _parse_birth_date_partial(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        birth_date_partial = _parse_birth_date_partial(d.pop("birth_date_partial"))

        address = d.pop("address")

        status = d.pop("status")

        protected = d.pop("protected")

        search_hit = cls(
            id=id,
            resident_number=resident_number,
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            birth_date=birth_date,
            birth_date_partial=birth_date_partial,
            address=address,
            status=status,
            protected=protected,
        )

        search_hit.additional_properties = d
        return search_hit

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
