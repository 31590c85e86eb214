from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Verification")


@_attrs_define
class Verification:
    """
    Attributes:
        result (str): genuine | invalid | voided | not_found
        kind (None | str | Unset): residence, tax, damage or damage_report
        title (None | str | Unset): the title as printed, e.g. 住民票の写し
        issued_on (datetime.date | None | Unset): the date of issue
        municipality_code (None | str | Unset): the issuing municipality
        municipality_name (None | str | Unset): the issuing municipality's name
        voided_on (datetime.date | None | Unset): the date it was voided; null when valid
    """

    result: str
    kind: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    issued_on: datetime.date | None | Unset = UNSET
    municipality_code: None | str | Unset = UNSET
    municipality_name: None | str | Unset = UNSET
    voided_on: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        else:
            kind = self.kind

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        issued_on: None | str | Unset
        if isinstance(self.issued_on, Unset):
            issued_on = UNSET
        elif isinstance(self.issued_on, datetime.date):
            issued_on = self.issued_on.isoformat()
        else:
            issued_on = self.issued_on

        municipality_code: None | str | Unset
        if isinstance(self.municipality_code, Unset):
            municipality_code = UNSET
        else:
            municipality_code = self.municipality_code

        municipality_name: None | str | Unset
        if isinstance(self.municipality_name, Unset):
            municipality_name = UNSET
        else:
            municipality_name = self.municipality_name

        voided_on: None | str | Unset
        if isinstance(self.voided_on, Unset):
            voided_on = UNSET
        elif isinstance(self.voided_on, datetime.date):
            voided_on = self.voided_on.isoformat()
        else:
            voided_on = self.voided_on

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if title is not UNSET:
            field_dict["title"] = title
        if issued_on is not UNSET:
            field_dict["issued_on"] = issued_on
        if municipality_code is not UNSET:
            field_dict["municipality_code"] = municipality_code
        if municipality_name is not UNSET:
            field_dict["municipality_name"] = municipality_name
        if voided_on is not UNSET:
            field_dict["voided_on"] = voided_on

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        result = d.pop("result")

        def _parse_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_issued_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                issued_on_type_0 = datetime.date.fromisoformat(data)

                return issued_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        issued_on = _parse_issued_on(d.pop("issued_on", UNSET))

        def _parse_municipality_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        municipality_code = _parse_municipality_code(d.pop("municipality_code", UNSET))

        def _parse_municipality_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        municipality_name = _parse_municipality_name(d.pop("municipality_name", UNSET))

        def _parse_voided_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                voided_on_type_0 = datetime.date.fromisoformat(data)

                return voided_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        voided_on = _parse_voided_on(d.pop("voided_on", UNSET))

        verification = cls(
            result=result,
            kind=kind,
            title=title,
            issued_on=issued_on,
            municipality_code=municipality_code,
            municipality_name=municipality_name,
            voided_on=voided_on,
        )

        verification.additional_properties = d
        return verification

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
