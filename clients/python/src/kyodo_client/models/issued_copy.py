from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IssuedCopy")


@_attrs_define
class IssuedCopy:
    """
    Attributes:
        certificate_id (UUID): the copy's id
        copy_number (int): the copy's number within the issuance
        issue_numbers (list[str]): the issue number printed on each page (交付番号)
        verification_code (str): the code for public verification
        pages (int): the number of A4 pages
        sha256 (str): the SHA-256 of the signed PDF
        pdf (str): where to fetch the PDF
    """

    certificate_id: UUID
    copy_number: int
    issue_numbers: list[str]
    verification_code: str
    pages: int
    sha256: str
    pdf: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        certificate_id = str(self.certificate_id)

        copy_number = self.copy_number

        issue_numbers = self.issue_numbers

        verification_code = self.verification_code

        pages = self.pages

        sha256 = self.sha256

        pdf = self.pdf

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "certificate_id": certificate_id,
                "copy_number": copy_number,
                "issue_numbers": issue_numbers,
                "verification_code": verification_code,
                "pages": pages,
                "sha256": sha256,
                "pdf": pdf,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        certificate_id = UUID(d.pop("certificate_id"))

        copy_number = d.pop("copy_number")

        issue_numbers = cast(list[str], d.pop("issue_numbers"))

        verification_code = d.pop("verification_code")

        pages = d.pop("pages")

        sha256 = d.pop("sha256")

        pdf = d.pop("pdf")

        issued_copy = cls(
            certificate_id=certificate_id,
            copy_number=copy_number,
            issue_numbers=issue_numbers,
            verification_code=verification_code,
            pages=pages,
            sha256=sha256,
            pdf=pdf,
        )

        issued_copy.additional_properties = d
        return issued_copy

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
