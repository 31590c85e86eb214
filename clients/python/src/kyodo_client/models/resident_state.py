from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ResidentState")


@_attrs_define
class ResidentState:
    """A resident as registered after the change (no My Number).

    Attributes:
        resident_id (UUID): the resident's id in this municipality
        platform_person_id (UUID): the person's id across the platform: the same in every municipality they lived in
        resident_number (str): 宛名番号 (resident number): 10 digits with a Modulus 11 check digit
        version (int): the record's version, incremented on every change; its ETag is W/"<version>"
        status (str): resident, announced (転出 filed for a later day), moved_out, dead or removed
        family_name (str): 氏 (family name) in kanji, as registered
        given_name (str): 名 (given name) in kanji, as registered
        family_name_kana (str): 氏 フリガナ (family name reading) in full-width katakana
        given_name_kana (str): 名 フリガナ (given name reading) in full-width katakana
        birth_date (datetime.date | None): 生年月日 (date of birth), ISO 8601
        sex (str): 性別 (sex): male or female
        nationality (str): 国籍 (nationality), ISO 3166-1 alpha-2; JP for Japanese nationals
        household_id (None | UUID): the household's (世帯) id
        household_number (None | str): 世帯番号 (household number): digits with a Modulus 11 check digit
        relationship (None | str): 続柄 (relationship to the household head), e.g. 世帯主, 妻, 子, 子の妻
        postal_code (str): 郵便番号 (postal code): 7 digits, with or without the hyphen (955-8686)
        address (str): 住所 (address) as written on the register, from the prefecture down
        latin_name (None | str | Unset): the name in Latin letters (foreign residents)
        birth_date_partial (None | str | Unset): a partly unknown date of birth: YYYY, YYYY-MM or XXXX; a trailing ~
            means 頃 (about)
        address_since (datetime.date | None | Unset): the date the person began living at the current address (住定日)
        became_resident_on (datetime.date | None | Unset): the date the person became a resident of this municipality
            (住民となった年月日)
        left_on (datetime.date | None | Unset): the date the person stopped being a resident (転出, 死亡, 職権消除); null while
            registered
        moved_in_from (None | str | Unset): 転入前住所: the address before moving into this municipality
        protected (bool | Unset): under a 支援措置 (DV/stalking protection measure): the record is not disclosed to third
            parties Default: False.
        protected_from (datetime.date | None | Unset): the first day of the 支援措置
        protected_until (datetime.date | None | Unset): the last day of the 支援措置
    """

    resident_id: UUID
    platform_person_id: UUID
    resident_number: str
    version: int
    status: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: datetime.date | None
    sex: str
    nationality: str
    household_id: None | UUID
    household_number: None | str
    relationship: None | str
    postal_code: str
    address: str
    latin_name: None | str | Unset = UNSET
    birth_date_partial: None | str | Unset = UNSET
    address_since: datetime.date | None | Unset = UNSET
    became_resident_on: datetime.date | None | Unset = UNSET
    left_on: datetime.date | None | Unset = UNSET
    moved_in_from: None | str | Unset = UNSET
    protected: bool | Unset = False
    protected_from: datetime.date | None | Unset = UNSET
    protected_until: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        resident_id = str(self.resident_id)

        platform_person_id = str(self.platform_person_id)

        resident_number = self.resident_number

        version = self.version

        status = self.status

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

        nationality = self.nationality

        household_id: None | str
        if isinstance(self.household_id, UUID):
            household_id = str(self.household_id)
        else:
            household_id = self.household_id

        household_number: None | str
        household_number = self.household_number

        relationship: None | str
        relationship = self.relationship

        postal_code = self.postal_code

        address = self.address

        latin_name: None | str | Unset
        if isinstance(self.latin_name, Unset):
            latin_name = UNSET
        else:
            latin_name = self.latin_name

        birth_date_partial: None | str | Unset
        if isinstance(self.birth_date_partial, Unset):
            birth_date_partial = UNSET
        else:
            birth_date_partial = self.birth_date_partial

        address_since: None | str | Unset
        if isinstance(self.address_since, Unset):
            address_since = UNSET
        elif isinstance(self.address_since, datetime.date):
            address_since = self.address_since.isoformat()
        else:
            address_since = self.address_since

        became_resident_on: None | str | Unset
        if isinstance(self.became_resident_on, Unset):
            became_resident_on = UNSET
        elif isinstance(self.became_resident_on, datetime.date):
            became_resident_on = self.became_resident_on.isoformat()
        else:
            became_resident_on = self.became_resident_on

        left_on: None | str | Unset
        if isinstance(self.left_on, Unset):
            left_on = UNSET
        elif isinstance(self.left_on, datetime.date):
            left_on = self.left_on.isoformat()
        else:
            left_on = self.left_on

        moved_in_from: None | str | Unset
        if isinstance(self.moved_in_from, Unset):
            moved_in_from = UNSET
        else:
            moved_in_from = self.moved_in_from

        protected = self.protected

        protected_from: None | str | Unset
        if isinstance(self.protected_from, Unset):
            protected_from = UNSET
        elif isinstance(self.protected_from, datetime.date):
            protected_from = self.protected_from.isoformat()
        else:
            protected_from = self.protected_from

        protected_until: None | str | Unset
        if isinstance(self.protected_until, Unset):
            protected_until = UNSET
        elif isinstance(self.protected_until, datetime.date):
            protected_until = self.protected_until.isoformat()
        else:
            protected_until = self.protected_until

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resident_id": resident_id,
                "platform_person_id": platform_person_id,
                "resident_number": resident_number,
                "version": version,
                "status": status,
                "family_name": family_name,
                "given_name": given_name,
                "family_name_kana": family_name_kana,
                "given_name_kana": given_name_kana,
                "birth_date": birth_date,
                "sex": sex,
                "nationality": nationality,
                "household_id": household_id,
                "household_number": household_number,
                "relationship": relationship,
                "postal_code": postal_code,
                "address": address,
            }
        )
        if latin_name is not UNSET:
            field_dict["latin_name"] = latin_name
        if birth_date_partial is not UNSET:
            field_dict["birth_date_partial"] = birth_date_partial
        if address_since is not UNSET:
            field_dict["address_since"] = address_since
        if became_resident_on is not UNSET:
            field_dict["became_resident_on"] = became_resident_on
        if left_on is not UNSET:
            field_dict["left_on"] = left_on
        if moved_in_from is not UNSET:
            field_dict["moved_in_from"] = moved_in_from
        if protected is not UNSET:
            field_dict["protected"] = protected
        if protected_from is not UNSET:
            field_dict["protected_from"] = protected_from
        if protected_until is not UNSET:
            field_dict["protected_until"] = protected_until

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        resident_id = UUID(d.pop("resident_id"))

        platform_person_id = UUID(d.pop("platform_person_id"))

        resident_number = d.pop("resident_number")

        version = d.pop("version")

        status = d.pop("status")

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

        nationality = d.pop("nationality")

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

        def _parse_household_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        household_number = _parse_household_number(d.pop("household_number"))

        def _parse_relationship(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        relationship = _parse_relationship(d.pop("relationship"))

        postal_code = d.pop("postal_code")

        address = d.pop("address")

        def _parse_latin_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        latin_name = _parse_latin_name(d.pop("latin_name", UNSET))

        def _parse_birth_date_partial(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        birth_date_partial = _parse_birth_date_partial(
            d.pop("birth_date_partial", UNSET)
        )

        def _parse_address_since(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                address_since_type_0 = datetime.date.fromisoformat(data)

                return address_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        address_since = _parse_address_since(d.pop("address_since", UNSET))

        def _parse_became_resident_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                became_resident_on_type_0 = datetime.date.fromisoformat(data)

                return became_resident_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        became_resident_on = _parse_became_resident_on(
            d.pop("became_resident_on", UNSET)
        )

        def _parse_left_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                left_on_type_0 = datetime.date.fromisoformat(data)

                return left_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        left_on = _parse_left_on(d.pop("left_on", UNSET))

        def _parse_moved_in_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        moved_in_from = _parse_moved_in_from(d.pop("moved_in_from", UNSET))

        protected = d.pop("protected", UNSET)

        def _parse_protected_from(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                protected_from_type_0 = datetime.date.fromisoformat(data)

                return protected_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        protected_from = _parse_protected_from(d.pop("protected_from", UNSET))

        def _parse_protected_until(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                protected_until_type_0 = datetime.date.fromisoformat(data)

                return protected_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        protected_until = _parse_protected_until(d.pop("protected_until", UNSET))

        resident_state = cls(
            resident_id=resident_id,
            platform_person_id=platform_person_id,
            resident_number=resident_number,
            version=version,
            status=status,
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            birth_date=birth_date,
            sex=sex,
            nationality=nationality,
            household_id=household_id,
            household_number=household_number,
            relationship=relationship,
            postal_code=postal_code,
            address=address,
            latin_name=latin_name,
            birth_date_partial=birth_date_partial,
            address_since=address_since,
            became_resident_on=became_resident_on,
            left_on=left_on,
            moved_in_from=moved_in_from,
            protected=protected,
            protected_from=protected_from,
            protected_until=protected_until,
        )

        return resident_state
