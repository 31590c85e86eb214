from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ResidentSnapshot")


@_attrs_define
class ResidentSnapshot:
    """
    Attributes:
        resident_id (UUID): the resident's id (住民 record) in this municipality
        platform_person_id (UUID): the person's id across the platform: the same in every municipality they lived in
        status (str): resident, announced (転出 filed for a later day), moved_out, dead or removed
        version (int): the version of the resident's record this copy reflects
        protected (bool): under a 支援措置 (DV/stalking protection measure): the record is not disclosed to third parties
        resident_number (str): 宛名番号 (resident number): 10 digits with a Modulus 11 check digit
        family_name (str): 氏 (family name) in kanji, as registered
        given_name (str): 名 (given name) in kanji, as registered
        family_name_kana (str): 氏 フリガナ (family name reading) in full-width katakana
        given_name_kana (str): 名 フリガナ (given name reading) in full-width katakana
        birth_date (datetime.date | None): 生年月日 (date of birth), ISO 8601
        sex (str): 性別 (sex)
        postal_code (str): 郵便番号 (postal code): 7 digits, with or without the hyphen (955-8686)
        address (str): 住所 (address) as written on the register, from the prefecture down
        registered_on (datetime.date): the date the person was registered here
    """

    resident_id: UUID
    platform_person_id: UUID
    status: str
    version: int
    protected: bool
    resident_number: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: datetime.date | None
    sex: str
    postal_code: str
    address: str
    registered_on: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resident_id = str(self.resident_id)

        platform_person_id = str(self.platform_person_id)

        status = self.status

        version = self.version

        protected = self.protected

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

        sex = self.sex

        postal_code = self.postal_code

        address = self.address

        registered_on = self.registered_on.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "resident_id": resident_id,
                "platform_person_id": platform_person_id,
                "status": status,
                "version": version,
                "protected": protected,
                "resident_number": resident_number,
                "family_name": family_name,
                "given_name": given_name,
                "family_name_kana": family_name_kana,
                "given_name_kana": given_name_kana,
                "birth_date": birth_date,
                "sex": sex,
                "postal_code": postal_code,
                "address": address,
                "registered_on": registered_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        resident_id = UUID(d.pop("resident_id"))

        platform_person_id = UUID(d.pop("platform_person_id"))

        status = d.pop("status")

        version = d.pop("version")

        protected = d.pop("protected")

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

        sex = d.pop("sex")

        postal_code = d.pop("postal_code")

        address = d.pop("address")

        registered_on = datetime.date.fromisoformat(d.pop("registered_on"))

        resident_snapshot = cls(
            resident_id=resident_id,
            platform_person_id=platform_person_id,
            status=status,
            version=version,
            protected=protected,
            resident_number=resident_number,
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            birth_date=birth_date,
            sex=sex,
            postal_code=postal_code,
            address=address,
            registered_on=registered_on,
        )

        resident_snapshot.additional_properties = d
        return resident_snapshot

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
