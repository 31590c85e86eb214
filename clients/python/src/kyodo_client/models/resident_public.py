from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ResidentPublic")


@_attrs_define
class ResidentPublic:
    """
    Attributes:
        id (UUID): the resident's id
        municipality_code (str): the municipality's 6-digit local government code (全国地方公共団体コード)
        resident_number (str): 宛名番号 (resident number): 10 digits with a Modulus 11 check digit
        platform_person_id (UUID): the person's id across the platform: the same in every municipality they lived in
        status (str): resident | announced | moved_out | dead | removed
        family_name (str): 氏 (family name) in kanji, as registered
        given_name (str): 名 (given name) in kanji, as registered
        family_name_kana (str): 氏 フリガナ (family name reading) in full-width katakana
        given_name_kana (str): 名 フリガナ (given name reading) in full-width katakana
        latin_name (None | str): the name in Latin letters (foreign residents)
        birth_date (datetime.date | None): 生年月日 (date of birth), ISO 8601
        birth_date_partial (None | str): a partly unknown date of birth: YYYY, YYYY-MM or XXXX; a trailing ~ means 頃
            (about)
        sex (str): 性別 (sex): male or female
        nationality (str): 国籍 (nationality), ISO 3166-1 alpha-2; JP for Japanese nationals
        residence_status (None | str): 在留資格 (status of residence) of a foreign resident
        stay_until (datetime.date | None): 在留期間の満了日 (end of the authorized period of stay) of a foreign resident
        household_id (None | UUID): the household's (世帯) id
        relationship (None | str): 続柄 (relationship to the household head), e.g. 世帯主, 妻, 子, 子の妻
        postal_code (str): 郵便番号 (postal code): 7 digits, with or without the hyphen (955-8686)
        address (str): 住所 (address) as written on the register, from the prefecture down
        address_since (datetime.date | None): the date the person began living at the current address (住定日)
        became_resident_on (datetime.date | None): the date the person became a resident of this municipality
            (住民となった年月日)
        previous_address (None | str): 転入前住所: the address before moving into this municipality
        left_on (datetime.date | None): the date the person stopped being a resident (転出, 死亡, 職権消除); null while
            registered
        registered_on (datetime.date): 処理日: set by the register, never by a client
        my_number (None | str): masked: read it with GET …/my-number
        version (int): the record's version, incremented on every change; its ETag is W/"<version>"
        moved_in_from (None | str | Unset): 転入前住所
        protected (bool | Unset): under a 支援措置 (DV/stalking protection measure): the record is not disclosed to third
            parties Default: False.
    """

    id: UUID
    municipality_code: str
    resident_number: str
    platform_person_id: UUID
    status: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    latin_name: None | str
    birth_date: datetime.date | None
    birth_date_partial: None | str
    sex: str
    nationality: str
    residence_status: None | str
    stay_until: datetime.date | None
    household_id: None | UUID
    relationship: None | str
    postal_code: str
    address: str
    address_since: datetime.date | None
    became_resident_on: datetime.date | None
    previous_address: None | str
    left_on: datetime.date | None
    registered_on: datetime.date
    my_number: None | str
    version: int
    moved_in_from: None | str | Unset = UNSET
    protected: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        municipality_code = self.municipality_code

        resident_number = self.resident_number

        platform_person_id = str(self.platform_person_id)

        status = self.status

        family_name = self.family_name

        given_name = self.given_name

        family_name_kana = self.family_name_kana

        given_name_kana = self.given_name_kana

        latin_name: None | str
        latin_name = self.latin_name

        birth_date: None | str
        if isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        birth_date_partial: None | str
        birth_date_partial = self.birth_date_partial

        sex = self.sex

        nationality = self.nationality

        residence_status: None | str
        residence_status = self.residence_status

        stay_until: None | str
        if isinstance(self.stay_until, datetime.date):
            stay_until = self.stay_until.isoformat()
        else:
            stay_until = self.stay_until

        household_id: None | str
        if isinstance(self.household_id, UUID):
            household_id = str(self.household_id)
        else:
            household_id = self.household_id

        relationship: None | str
        relationship = self.relationship

        postal_code = self.postal_code

        address = self.address

        address_since: None | str
        if isinstance(self.address_since, datetime.date):
            address_since = self.address_since.isoformat()
        else:
            address_since = self.address_since

        became_resident_on: None | str
        if isinstance(self.became_resident_on, datetime.date):
            became_resident_on = self.became_resident_on.isoformat()
        else:
            became_resident_on = self.became_resident_on

        previous_address: None | str
        previous_address = self.previous_address

        left_on: None | str
        if isinstance(self.left_on, datetime.date):
            left_on = self.left_on.isoformat()
        else:
            left_on = self.left_on

        registered_on = self.registered_on.isoformat()

        my_number: None | str
        my_number = self.my_number

        version = self.version

        moved_in_from: None | str | Unset
        if isinstance(self.moved_in_from, Unset):
            moved_in_from = UNSET
        else:
            moved_in_from = self.moved_in_from

        protected = self.protected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "municipality_code": municipality_code,
                "resident_number": resident_number,
                "platform_person_id": platform_person_id,
                "status": status,
                "family_name": family_name,
                "given_name": given_name,
                "family_name_kana": family_name_kana,
                "given_name_kana": given_name_kana,
                "latin_name": latin_name,
                "birth_date": birth_date,
                "birth_date_partial": birth_date_partial,
                "sex": sex,
                "nationality": nationality,
                "residence_status": residence_status,
                "stay_until": stay_until,
                "household_id": household_id,
                "relationship": relationship,
                "postal_code": postal_code,
                "address": address,
                "address_since": address_since,
                "became_resident_on": became_resident_on,
                "previous_address": previous_address,
                "left_on": left_on,
                "registered_on": registered_on,
                "my_number": my_number,
                "version": version,
            }
        )
        if moved_in_from is not UNSET:
            field_dict["moved_in_from"] = moved_in_from
        if protected is not UNSET:
            field_dict["protected"] = protected

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        municipality_code = d.pop("municipality_code")

        resident_number = d.pop("resident_number")

        platform_person_id = UUID(d.pop("platform_person_id"))

        status = d.pop("status")

        family_name = d.pop("family_name")

        given_name = d.pop("given_name")

        family_name_kana = d.pop("family_name_kana")

        given_name_kana = d.pop("given_name_kana")

        def _parse_latin_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        latin_name = _parse_latin_name(d.pop("latin_name"))

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

        sex = d.pop("sex")

        nationality = d.pop("nationality")

        def _parse_residence_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        residence_status = _parse_residence_status(d.pop("residence_status"))

        def _parse_stay_until(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                stay_until_type_0 = datetime.date.fromisoformat(data)

                return stay_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        stay_until = _parse_stay_until(d.pop("stay_until"))

        def _parse_household_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                household_id_type_0 = UUID(data)

                return household_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        household_id = _parse_household_id(d.pop("household_id"))

        def _parse_relationship(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        relationship = _parse_relationship(d.pop("relationship"))

        postal_code = d.pop("postal_code")

        address = d.pop("address")

        def _parse_address_since(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                address_since_type_0 = datetime.date.fromisoformat(data)

                return address_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        address_since = _parse_address_since(d.pop("address_since"))

        def _parse_became_resident_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                became_resident_on_type_0 = datetime.date.fromisoformat(data)

                return became_resident_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        became_resident_on = _parse_became_resident_on(d.pop("became_resident_on"))

        def _parse_previous_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_address = _parse_previous_address(d.pop("previous_address"))

        def _parse_left_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                left_on_type_0 = datetime.date.fromisoformat(data)

                return left_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        left_on = _parse_left_on(d.pop("left_on"))

        registered_on = datetime.date.fromisoformat(d.pop("registered_on"))

        def _parse_my_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        my_number = _parse_my_number(d.pop("my_number"))

        version = d.pop("version")

        def _parse_moved_in_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        moved_in_from = _parse_moved_in_from(d.pop("moved_in_from", UNSET))

        protected = d.pop("protected", UNSET)

        resident_public = cls(
            id=id,
            municipality_code=municipality_code,
            resident_number=resident_number,
            platform_person_id=platform_person_id,
            status=status,
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            latin_name=latin_name,
            birth_date=birth_date,
            birth_date_partial=birth_date_partial,
            sex=sex,
            nationality=nationality,
            residence_status=residence_status,
            stay_until=stay_until,
            household_id=household_id,
            relationship=relationship,
            postal_code=postal_code,
            address=address,
            address_since=address_since,
            became_resident_on=became_resident_on,
            previous_address=previous_address,
            left_on=left_on,
            registered_on=registered_on,
            my_number=my_number,
            version=version,
            moved_in_from=moved_in_from,
            protected=protected,
        )

        resident_public.additional_properties = d
        return resident_public

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
