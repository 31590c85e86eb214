"""The resident (住民) aggregate as it is registered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from kyodo_common.errors import InvalidInput
from kyodo_residents.domain.names import is_katakana, normalize_kana
from kyodo_residents.events import ResidentRegistered

_POSTAL = re.compile(r"^[0-9]{7}$")


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class NewResident:
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: date
    sex: Sex
    postal_code: str
    address: str


def validated(new: NewResident, *, today: date) -> NewResident:
    """Apply the register's input rules; raise InvalidInput naming the field at fault."""
    family_kana = normalize_kana(new.family_name_kana)
    given_kana = normalize_kana(new.given_name_kana)
    for field, value in (("family_name_kana", family_kana), ("given_name_kana", given_kana)):
        if not is_katakana(value):
            raise InvalidInput(field, "フリガナ must be katakana or hiragana")
    postal = new.postal_code.replace("-", "")
    if not _POSTAL.match(postal):
        raise InvalidInput("postal_code", "a postal code has 7 digits (999-9999)")
    if new.birth_date > today:
        raise InvalidInput("birth_date", "the birth date is in the future")
    return NewResident(
        family_name=new.family_name, given_name=new.given_name,
        family_name_kana=family_kana, given_name_kana=given_kana,
        birth_date=new.birth_date, sex=new.sex, postal_code=postal, address=new.address,
    )


def registered_event(new: NewResident, *, resident_id: UUID, municipality_code: str,
                     resident_number: str, registered_on: date) -> ResidentRegistered:
    return ResidentRegistered(
        resident_id=resident_id, municipality_code=municipality_code,
        resident_number=resident_number, family_name=new.family_name,
        given_name=new.given_name, family_name_kana=new.family_name_kana,
        given_name_kana=new.given_name_kana, birth_date=new.birth_date, sex=new.sex.value,
        postal_code=new.postal_code, address=new.address, registered_on=registered_on,
    )
