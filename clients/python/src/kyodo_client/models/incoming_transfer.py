from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.resident_state import ResidentState


T = TypeVar("T", bound="IncomingTransfer")


@_attrs_define
class IncomingTransfer:
    """
    Attributes:
        id (UUID): the transfer notice's id (転出証明書情報)
        origin_municipality (str): the municipality the person moved out of
        planned_move_date (datetime.date): the move date announced at the 転出
        moved_out_on (datetime.date): the date the 転出 was recorded
        destination_address (str): the address given as destination
        destination_postal_code (str): the destination's postal code
        resident (ResidentState): A resident as registered after the change (no My Number).
    """

    id: UUID
    origin_municipality: str
    planned_move_date: datetime.date
    moved_out_on: datetime.date
    destination_address: str
    destination_postal_code: str
    resident: ResidentState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        origin_municipality = self.origin_municipality

        planned_move_date = self.planned_move_date.isoformat()

        moved_out_on = self.moved_out_on.isoformat()

        destination_address = self.destination_address

        destination_postal_code = self.destination_postal_code

        resident = self.resident.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "origin_municipality": origin_municipality,
                "planned_move_date": planned_move_date,
                "moved_out_on": moved_out_on,
                "destination_address": destination_address,
                "destination_postal_code": destination_postal_code,
                "resident": resident,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.resident_state import ResidentState

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        origin_municipality = d.pop("origin_municipality")

        planned_move_date = datetime.date.fromisoformat(d.pop("planned_move_date"))

        moved_out_on = datetime.date.fromisoformat(d.pop("moved_out_on"))

        destination_address = d.pop("destination_address")

        destination_postal_code = d.pop("destination_postal_code")

        resident = ResidentState.from_dict(d.pop("resident"))

        incoming_transfer = cls(
            id=id,
            origin_municipality=origin_municipality,
            planned_move_date=planned_move_date,
            moved_out_on=moved_out_on,
            destination_address=destination_address,
            destination_postal_code=destination_postal_code,
            resident=resident,
        )

        incoming_transfer.additional_properties = d
        return incoming_transfer

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
