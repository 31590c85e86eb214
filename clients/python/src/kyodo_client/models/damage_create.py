from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.applicant import Applicant


T = TypeVar("T", bound="DamageCreate")


@_attrs_define
class DamageCreate:
    """罹災証明書 of a damaged house's assessment.

    Attributes:
        terminal (str): 端末: 本庁1
        printer (str): プリンタ: プリンタ001
        assessment_id (UUID): the assessed house in the ledger of damaged houses
        copies (int | Unset): each copy has its own number Default: 1.
        applicant (Applicant | Unset): Who asks: when the applicant is the person (or of their household), their
            resident id.

            Decides 支援措置 (only the protected person may have their certificate) and 個人番号.
    """

    terminal: str
    printer: str
    assessment_id: UUID
    copies: int | Unset = 1
    applicant: Applicant | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        terminal = self.terminal

        printer = self.printer

        assessment_id = str(self.assessment_id)

        copies = self.copies

        applicant: dict[str, Any] | Unset = UNSET
        if not isinstance(self.applicant, Unset):
            applicant = self.applicant.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "terminal": terminal,
                "printer": printer,
                "assessment_id": assessment_id,
            }
        )
        if copies is not UNSET:
            field_dict["copies"] = copies
        if applicant is not UNSET:
            field_dict["applicant"] = applicant

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.applicant import Applicant

        d = dict(src_dict)
        terminal = d.pop("terminal")

        printer = d.pop("printer")

        assessment_id = UUID(d.pop("assessment_id"))

        copies = d.pop("copies", UNSET)

        _applicant = d.pop("applicant", UNSET)
        applicant: Applicant | Unset
        if isinstance(_applicant, Unset):
            applicant = UNSET
        else:
            applicant = Applicant.from_dict(_applicant)

        damage_create = cls(
            terminal=terminal,
            printer=printer,
            assessment_id=assessment_id,
            copies=copies,
            applicant=applicant,
        )

        return damage_create
