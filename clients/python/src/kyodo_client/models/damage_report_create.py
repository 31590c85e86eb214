from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.damaged_property import DamagedProperty
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.applicant import Applicant


T = TypeVar("T", bound="DamageReportCreate")


@_attrs_define
class DamageReportCreate:
    """被災証明書: a person's reported damage in a disaster this municipality declared.

    Attributes:
        terminal (str): 端末: 本庁1
        printer (str): プリンタ: プリンタ001
        disaster_id (UUID): the disaster the damage is reported for (被災証明書)
        resident_id (UUID): who reported the damage (被災者)
        properties (list[DamagedProperty]): 被災物件 (unique)
        location (str): 被災場所
        description (str): 被害の状況, as reported
        copies (int | Unset): each copy has its own number Default: 1.
        applicant (Applicant | Unset): Who asks: when the applicant is the person (or of their household), their
            resident id.

            Decides 支援措置 (only the protected person may have their certificate) and 個人番号.
    """

    terminal: str
    printer: str
    disaster_id: UUID
    resident_id: UUID
    properties: list[DamagedProperty]
    location: str
    description: str
    copies: int | Unset = 1
    applicant: Applicant | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        terminal = self.terminal

        printer = self.printer

        disaster_id = str(self.disaster_id)

        resident_id = str(self.resident_id)

        properties = []
        for properties_item_data in self.properties:
            properties_item = properties_item_data.value
            properties.append(properties_item)

        location = self.location

        description = self.description

        copies = self.copies

        applicant: dict[str, Any] | Unset = UNSET
        if not isinstance(self.applicant, Unset):
            applicant = self.applicant.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "terminal": terminal,
                "printer": printer,
                "disaster_id": disaster_id,
                "resident_id": resident_id,
                "properties": properties,
                "location": location,
                "description": description,
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

        disaster_id = UUID(d.pop("disaster_id"))

        resident_id = UUID(d.pop("resident_id"))

        properties = []
        _properties = d.pop("properties")
        for properties_item_data in _properties:
            properties_item = DamagedProperty(properties_item_data)

            properties.append(properties_item)

        location = d.pop("location")

        description = d.pop("description")

        copies = d.pop("copies", UNSET)

        _applicant = d.pop("applicant", UNSET)
        applicant: Applicant | Unset
        if isinstance(_applicant, Unset):
            applicant = UNSET
        else:
            applicant = Applicant.from_dict(_applicant)

        damage_report_create = cls(
            terminal=terminal,
            printer=printer,
            disaster_id=disaster_id,
            resident_id=resident_id,
            properties=properties,
            location=location,
            description=description,
            copies=copies,
            applicant=applicant,
        )

        return damage_report_create
