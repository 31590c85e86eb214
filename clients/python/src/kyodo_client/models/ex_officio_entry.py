from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.person_in import PersonIn
    from ..models.placement_in import PlacementIn


T = TypeVar("T", bound="ExOfficioEntry")


@_attrs_define
class ExOfficioEntry:
    """
    Attributes:
        effective_date (datetime.date): the date from which the person is recorded (職権記載)
        person (PersonIn):
        household (PlacementIn): Exactly one of: a new household (the person is its head) or an existing one.
        confirm_not_duplicate (bool | Unset): the clerk checked the possible duplicates a 409 listed: this is somebody
            else Default: False.
    """

    effective_date: datetime.date
    person: PersonIn
    household: PlacementIn
    confirm_not_duplicate: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        effective_date = self.effective_date.isoformat()

        person = self.person.to_dict()

        household = self.household.to_dict()

        confirm_not_duplicate = self.confirm_not_duplicate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_date": effective_date,
                "person": person,
                "household": household,
            }
        )
        if confirm_not_duplicate is not UNSET:
            field_dict["confirm_not_duplicate"] = confirm_not_duplicate

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.person_in import PersonIn
        from ..models.placement_in import PlacementIn

        d = dict(src_dict)
        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        person = PersonIn.from_dict(d.pop("person"))

        household = PlacementIn.from_dict(d.pop("household"))

        confirm_not_duplicate = d.pop("confirm_not_duplicate", UNSET)

        ex_officio_entry = cls(
            effective_date=effective_date,
            person=person,
            household=household,
            confirm_not_duplicate=confirm_not_duplicate,
        )

        return ex_officio_entry
