from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VoidResult")


@_attrs_define
class VoidResult:
    """
    Attributes:
        certificate_id (UUID): the voided copy
        status (str): voided
        voided_at (datetime.datetime): when it was voided
    """

    certificate_id: UUID
    status: str
    voided_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        certificate_id = str(self.certificate_id)

        status = self.status

        voided_at = self.voided_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "certificate_id": certificate_id,
                "status": status,
                "voided_at": voided_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        certificate_id = UUID(d.pop("certificate_id"))

        status = d.pop("status")

        voided_at = datetime.datetime.fromisoformat(d.pop("voided_at"))

        void_result = cls(
            certificate_id=certificate_id,
            status=status,
            voided_at=voided_at,
        )

        void_result.additional_properties = d
        return void_result

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
