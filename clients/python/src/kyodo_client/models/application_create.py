from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApplicationCreate")


@_attrs_define
class ApplicationCreate:
    """
    Attributes:
        applicant_resident_id (UUID): the applicant (a resident of the house)
        copies (int | Unset): how many copies of the 罹災証明書 Default: 1.
    """

    applicant_resident_id: UUID
    copies: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        applicant_resident_id = str(self.applicant_resident_id)

        copies = self.copies

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "applicant_resident_id": applicant_resident_id,
            }
        )
        if copies is not UNSET:
            field_dict["copies"] = copies

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        applicant_resident_id = UUID(d.pop("applicant_resident_id"))

        copies = d.pop("copies", UNSET)

        application_create = cls(
            applicant_resident_id=applicant_resident_id,
            copies=copies,
        )

        return application_create
