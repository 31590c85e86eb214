from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.resident_state import ResidentState


T = TypeVar("T", bound="ProcedureResult")


@_attrs_define
class ProcedureResult:
    """The 異動 as recorded: its reason, date, and the state of every resident it touched.

    Attributes:
        reason (str): 異動事由 (reason of the change), e.g. 転入, 出生, 世帯分離
        effective_date (datetime.date): the date the change takes effect (異動日): not after today
        late_filing (bool): true when notified after the 14-day deadline (accepted, flagged)
        residents (list[ResidentState]): every resident the change touched, as they are now
    """

    reason: str
    effective_date: datetime.date
    late_filing: bool
    residents: list[ResidentState]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        effective_date = self.effective_date.isoformat()

        late_filing = self.late_filing

        residents = []
        for residents_item_data in self.residents:
            residents_item = residents_item_data.to_dict()
            residents.append(residents_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
                "effective_date": effective_date,
                "late_filing": late_filing,
                "residents": residents,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.resident_state import ResidentState

        d = dict(src_dict)
        reason = d.pop("reason")

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        late_filing = d.pop("late_filing")

        residents = []
        _residents = d.pop("residents")
        for residents_item_data in _residents:
            residents_item = ResidentState.from_dict(residents_item_data)

            residents.append(residents_item)

        procedure_result = cls(
            reason=reason,
            effective_date=effective_date,
            late_filing=late_filing,
            residents=residents,
        )

        procedure_result.additional_properties = d
        return procedure_result

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
