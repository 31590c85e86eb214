from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Person")


@_attrs_define
class Person:
    """A resident as the victims ledger shows them; a protected person (支援措置) unnamed.

    Attributes:
        resident_id (UUID): the resident's id (住民 record) in this municipality
        resident_number (str): 宛名番号 (resident number): 10 digits with a Modulus 11 check digit
        name (None | str): 氏名 (full name); null for a protected person
        name_kana (None | str): フリガナ; null for a protected person
        birth_date (datetime.date | None): 生年月日; null for a protected person
        relationship (None | str): 続柄 to the household head
        protected (bool): under a 支援措置 (DV/stalking protection measure): the record is not disclosed to third parties
    """

    resident_id: UUID
    resident_number: str
    name: None | str
    name_kana: None | str
    birth_date: datetime.date | None
    relationship: None | str
    protected: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resident_id = str(self.resident_id)

        resident_number = self.resident_number

        name: None | str
        name = self.name

        name_kana: None | str
        name_kana = self.name_kana

        birth_date: None | str
        if isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        relationship: None | str
        relationship = self.relationship

        protected = self.protected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "resident_id": resident_id,
                "resident_number": resident_number,
                "name": name,
                "name_kana": name_kana,
                "birth_date": birth_date,
                "relationship": relationship,
                "protected": protected,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        resident_id = UUID(d.pop("resident_id"))

        resident_number = d.pop("resident_number")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_name_kana(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name_kana = _parse_name_kana(d.pop("name_kana"))

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

        def _parse_relationship(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        relationship = _parse_relationship(d.pop("relationship"))

        protected = d.pop("protected")

        person = cls(
            resident_id=resident_id,
            resident_number=resident_number,
            name=name,
            name_kana=name_kana,
            birth_date=birth_date,
            relationship=relationship,
            protected=protected,
        )

        person.additional_properties = d
        return person

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
