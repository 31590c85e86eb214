from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchQuery")


@_attrs_define
class SearchQuery:
    """Searches by POST, so names and numbers stay out of URLs and logs.

    Attributes:
        kana_prefix (None | str | Unset): the start of the フリガナ (family then given name), hiragana or katakana
        name (None | str | Unset): the start of the 氏名 in kanji as registered: of the 氏 (family name), or of 氏, a space
            (ASCII or 全角) and 名 (「渡辺」, 「渡辺 健」); characters are matched exactly as written, not by reading
        birth_date (datetime.date | None | Unset): the exact date of birth
        address_contains (None | str | Unset): part of the address
        resident_number (None | str | Unset): the exact 宛名番号
        include_former (bool | Unset): moved out, dead, removed Default: False.
        limit (int | Unset): hits per page (1–100) Default: 20.
        cursor (None | str | Unset): the `next` of the previous page
    """

    kana_prefix: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    birth_date: datetime.date | None | Unset = UNSET
    address_contains: None | str | Unset = UNSET
    resident_number: None | str | Unset = UNSET
    include_former: bool | Unset = False
    limit: int | Unset = 20
    cursor: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kana_prefix: None | str | Unset
        if isinstance(self.kana_prefix, Unset):
            kana_prefix = UNSET
        else:
            kana_prefix = self.kana_prefix

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        birth_date: None | str | Unset
        if isinstance(self.birth_date, Unset):
            birth_date = UNSET
        elif isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        address_contains: None | str | Unset
        if isinstance(self.address_contains, Unset):
            address_contains = UNSET
        else:
            address_contains = self.address_contains

        resident_number: None | str | Unset
        if isinstance(self.resident_number, Unset):
            resident_number = UNSET
        else:
            resident_number = self.resident_number

        include_former = self.include_former

        limit = self.limit

        cursor: None | str | Unset
        if isinstance(self.cursor, Unset):
            cursor = UNSET
        else:
            cursor = self.cursor

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if kana_prefix is not UNSET:
            field_dict["kana_prefix"] = kana_prefix
        if name is not UNSET:
            field_dict["name"] = name
        if birth_date is not UNSET:
            field_dict["birth_date"] = birth_date
        if address_contains is not UNSET:
            field_dict["address_contains"] = address_contains
        if resident_number is not UNSET:
            field_dict["resident_number"] = resident_number
        if include_former is not UNSET:
            field_dict["include_former"] = include_former
        if limit is not UNSET:
            field_dict["limit"] = limit
        if cursor is not UNSET:
            field_dict["cursor"] = cursor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_kana_prefix(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kana_prefix = _parse_kana_prefix(d.pop("kana_prefix", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

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

        def _parse_address_contains(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        address_contains = _parse_address_contains(d.pop("address_contains", UNSET))

        def _parse_resident_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resident_number = _parse_resident_number(d.pop("resident_number", UNSET))

        include_former = d.pop("include_former", UNSET)

        limit = d.pop("limit", UNSET)

        def _parse_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cursor = _parse_cursor(d.pop("cursor", UNSET))

        search_query = cls(
            kana_prefix=kana_prefix,
            name=name,
            birth_date=birth_date,
            address_contains=address_contains,
            resident_number=resident_number,
            include_former=include_former,
            limit=limit,
            cursor=cursor,
        )

        return search_query
