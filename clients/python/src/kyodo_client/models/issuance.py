from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.issued_copy import IssuedCopy


T = TypeVar("T", bound="Issuance")


@_attrs_define
class Issuance:
    """
    Attributes:
        issuance_id (UUID): the issuance's id (one application's copies)
        kind (str): residence, tax, damage or damage_report
        title (str): the title as printed, e.g. 住民票の写し
        municipality_code (str): the issuing municipality
        issued_on (datetime.date): the date of issue
        fee_yen_per_copy (int): the fee per copy (手数料), yen
        fee_yen_total (int): the fee for all copies, yen
        copies (list[IssuedCopy]): the copies issued, each with its own issue numbers
    """

    issuance_id: UUID
    kind: str
    title: str
    municipality_code: str
    issued_on: datetime.date
    fee_yen_per_copy: int
    fee_yen_total: int
    copies: list[IssuedCopy]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        issuance_id = str(self.issuance_id)

        kind = self.kind

        title = self.title

        municipality_code = self.municipality_code

        issued_on = self.issued_on.isoformat()

        fee_yen_per_copy = self.fee_yen_per_copy

        fee_yen_total = self.fee_yen_total

        copies = []
        for copies_item_data in self.copies:
            copies_item = copies_item_data.to_dict()
            copies.append(copies_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "issuance_id": issuance_id,
                "kind": kind,
                "title": title,
                "municipality_code": municipality_code,
                "issued_on": issued_on,
                "fee_yen_per_copy": fee_yen_per_copy,
                "fee_yen_total": fee_yen_total,
                "copies": copies,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.issued_copy import IssuedCopy

        d = dict(src_dict)
        issuance_id = UUID(d.pop("issuance_id"))

        kind = d.pop("kind")

        title = d.pop("title")

        municipality_code = d.pop("municipality_code")

        issued_on = datetime.date.fromisoformat(d.pop("issued_on"))

        fee_yen_per_copy = d.pop("fee_yen_per_copy")

        fee_yen_total = d.pop("fee_yen_total")

        copies = []
        _copies = d.pop("copies")
        for copies_item_data in _copies:
            copies_item = IssuedCopy.from_dict(copies_item_data)

            copies.append(copies_item)

        issuance = cls(
            issuance_id=issuance_id,
            kind=kind,
            title=title,
            municipality_code=municipality_code,
            issued_on=issued_on,
            fee_yen_per_copy=fee_yen_per_copy,
            fee_yen_total=fee_yen_total,
            copies=copies,
        )

        issuance.additional_properties = d
        return issuance

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
