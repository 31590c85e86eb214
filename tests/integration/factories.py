"""Test data: valid residents with unique names, so tests never need to truncate tables."""

from __future__ import annotations

import itertools
from datetime import date

from kyodo_residents.domain.resident import PersonDetails, Sex

_counter = itertools.count(1)


def new_resident(**overrides: object) -> dict[str, object]:
    """Keyword arguments of register_resident (without the unit of work and the day)."""
    n = next(_counter)
    values: dict[str, object] = {
        "family_name": "三条", "given_name": f"太郎{n}", "family_name_kana": "さんじょう",
        "given_name_kana": "タロウ", "birth_date": date(1980, 4, 1), "sex": Sex.MALE,
    }
    values.update(overrides)
    return {"details": PersonDetails(**values), "postal_code": "955-8686",  # type: ignore[arg-type]
            "address": "新潟県三条市旭町二丁目3番1号"}


def resident_json(**overrides: object) -> dict[str, object]:
    n = next(_counter)
    body: dict[str, object] = {
        "family_name": "長岡", "given_name": f"花子{n}", "family_name_kana": "ナガオカ",
        "given_name_kana": "ハナコ", "birth_date": "1990-02-14", "sex": "female",
        "postal_code": "9408501", "address": "新潟県長岡市大手通1丁目4番地10",
    }
    body.update(overrides)
    return body
