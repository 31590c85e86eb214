from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.sex import Sex
from ..types import UNSET, Unset

T = TypeVar("T", bound="PersonIn")


@_attrs_define
class PersonIn:
    """
    Attributes:
        family_name (str): 氏 (as written; characters outside JIS X 0208 kept)
        given_name (str): 名
        family_name_kana (str): 氏 フリガナ: hiragana or katakana, stored as full-width katakana
        given_name_kana (str): 名 フリガナ: hiragana or katakana, stored as full-width katakana
        sex (Sex):
        birth_date (datetime.date | None | Unset): 生年月日; omit when only partly known (birth_date_partial)
        birth_date_partial (None | str | Unset): YYYY, YYYY-MM, YYYY-MM-DD, XXXX; ~ for 頃
        nationality (str | Unset): 国籍 (nationality), ISO 3166-1 alpha-2; JP for Japanese nationals Default: 'JP'.
        latin_name (None | str | Unset): the name in Latin letters (foreign residents)
        residence_status (None | str | Unset): 在留資格 (status of residence) of a foreign resident
        residence_card_number (None | str | Unset): 在留カード番号 (residence card number) of a foreign resident
        stay_until (datetime.date | None | Unset): 在留期間の満了日 (end of the authorized period of stay) of a foreign resident
    """

    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: Sex
    birth_date: datetime.date | None | Unset = UNSET
    birth_date_partial: None | str | Unset = UNSET
    nationality: str | Unset = "JP"
    latin_name: None | str | Unset = UNSET
    residence_status: None | str | Unset = UNSET
    residence_card_number: None | str | Unset = UNSET
    stay_until: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        family_name = self.family_name

        given_name = self.given_name

        family_name_kana = self.family_name_kana

        given_name_kana = self.given_name_kana

        sex = self.sex.value

        birth_date: None | str | Unset
        if isinstance(self.birth_date, Unset):
            birth_date = UNSET
        elif isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        birth_date_partial: None | str | Unset
        if isinstance(self.birth_date_partial, Unset):
            birth_date_partial = UNSET
        else:
            birth_date_partial = self.birth_date_partial

        nationality = self.nationality

        latin_name: None | str | Unset
        if isinstance(self.latin_name, Unset):
            latin_name = UNSET
        else:
            latin_name = self.latin_name

        residence_status: None | str | Unset
        if isinstance(self.residence_status, Unset):
            residence_status = UNSET
        else:
            residence_status = self.residence_status

        residence_card_number: None | str | Unset
        if isinstance(self.residence_card_number, Unset):
            residence_card_number = UNSET
        else:
            residence_card_number = self.residence_card_number

        stay_until: None | str | Unset
        if isinstance(self.stay_until, Unset):
            stay_until = UNSET
        elif isinstance(self.stay_until, datetime.date):
            stay_until = self.stay_until.isoformat()
        else:
            stay_until = self.stay_until

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "family_name": family_name,
                "given_name": given_name,
                "family_name_kana": family_name_kana,
                "given_name_kana": given_name_kana,
                "sex": sex,
            }
        )
        if birth_date is not UNSET:
            field_dict["birth_date"] = birth_date
        if birth_date_partial is not UNSET:
            field_dict["birth_date_partial"] = birth_date_partial
        if nationality is not UNSET:
            field_dict["nationality"] = nationality
        if latin_name is not UNSET:
            field_dict["latin_name"] = latin_name
        if residence_status is not UNSET:
            field_dict["residence_status"] = residence_status
        if residence_card_number is not UNSET:
            field_dict["residence_card_number"] = residence_card_number
        if stay_until is not UNSET:
            field_dict["stay_until"] = stay_until

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        family_name = d.pop("family_name")

        given_name = d.pop("given_name")

        family_name_kana = d.pop("family_name_kana")

        given_name_kana = d.pop("given_name_kana")

        sex = Sex(d.pop("sex"))

        def _parse_birth_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                birth_date_type_0 = datetime.date.fromisoformat(data)

                return birth_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        birth_date = _parse_birth_date(d.pop("birth_date", UNSET))

        def _parse_birth_date_partial(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        birth_date_partial = _parse_birth_date_partial(
            d.pop("birth_date_partial", UNSET)
        )

        nationality = d.pop("nationality", UNSET)

        def _parse_latin_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        latin_name = _parse_latin_name(d.pop("latin_name", UNSET))

        def _parse_residence_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        residence_status = _parse_residence_status(d.pop("residence_status", UNSET))

        def _parse_residence_card_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        residence_card_number = _parse_residence_card_number(
            d.pop("residence_card_number", UNSET)
        )

        def _parse_stay_until(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                stay_until_type_0 = datetime.date.fromisoformat(data)

                return stay_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        stay_until = _parse_stay_until(d.pop("stay_until", UNSET))

        person_in = cls(
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_name_kana,
            given_name_kana=given_name_kana,
            sex=sex,
            birth_date=birth_date,
            birth_date_partial=birth_date_partial,
            nationality=nationality,
            latin_name=latin_name,
            residence_status=residence_status,
            residence_card_number=residence_card_number,
            stay_until=stay_until,
        )

        return person_in
