"""Who a new entry in the register is, and the input rules for it (pure, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from kyodo_common.errors import InvalidInput
from kyodo_jp.kana import is_katakana, normalize_kana
from kyodo_jp.partial_dates import PartialDate


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class PersonDetails:
    """From the application, or from another municipality's transfer notice."""

    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: str
    birth_date: date | None = None
    birth_date_partial: str | None = None
    nationality: str = "JP"
    latin_name: str | None = None
    residence_status: str | None = None
    residence_card_number: str | None = None
    stay_until: date | None = None


def validated(details: PersonDetails, *, today: date) -> PersonDetails:
    """Kana normalized; names kept exactly as written; raises InvalidInput naming the field."""
    family_kana = normalize_kana(details.family_name_kana)
    given_kana = normalize_kana(details.given_name_kana)
    for field, value in (("family_name_kana", family_kana), ("given_name_kana", given_kana)):
        if not is_katakana(value):
            raise InvalidInput(field, "フリガナ must be katakana or hiragana")
    if details.birth_date is None and not details.birth_date_partial:
        raise InvalidInput("birth_date", "a birth date, or a partly known one, is required")
    if details.birth_date is not None and details.birth_date > today:
        raise InvalidInput("birth_date", "the birth date is in the future")
    if details.birth_date_partial:
        try:
            PartialDate.parse(details.birth_date_partial)
        except ValueError:
            raise InvalidInput("birth_date_partial", "use YYYY, YYYY-MM or YYYY-MM-DD, ~ for "
                                                     "頃, XXXX for an unknown year") from None
    if details.nationality != "JP" and not details.residence_status:
        raise InvalidInput("residence_status", "foreign residents need a residence status")
    return replace(details, family_name_kana=family_kana, given_name_kana=given_kana)
