from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DamageCopy")


@_attrs_define
class DamageCopy:
    """
    Attributes:
        certificate_id (UUID): the copy's certificate id
        copy_number (int): the copy's number within the issuance
        verification_code (str): the code for public verification
        status (str): issued or voided (a later survey supersedes it)
        pdf (str): the path of the PDF (reading it is access-logged)
    """

    certificate_id: UUID
    copy_number: int
    verification_code: str
    status: str
    pdf: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        certificate_id = str(self.certificate_id)

        copy_number = self.copy_number

        verification_code = self.verification_code

        status = self.status

        pdf = self.pdf

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "certificate_id": certificate_id,
                "copy_number": copy_number,
                "verification_code": verification_code,
                "status": status,
                "pdf": pdf,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        certificate_id = UUID(d.pop("certificate_id"))

        copy_number = d.pop("copy_number")

        verification_code = d.pop("verification_code")

        status = d.pop("status")

        pdf = d.pop("pdf")

        damage_copy = cls(
            certificate_id=certificate_id,
            copy_number=copy_number,
            verification_code=verification_code,
            status=status,
            pdf=pdf,
        )

        damage_copy.additional_properties = d
        return damage_copy

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
