from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.move_in_create_kind import MoveInCreateKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.person_in import PersonIn
    from ..models.placement_in import PlacementIn


T = TypeVar("T", bound="MoveInCreate")


@_attrs_define
class MoveInCreate:
    """転入: keyed from the application (from a municipality off the platform, or abroad).

    Attributes:
        kind (MoveInCreateKind): domestic (国内転入) or abroad (国外転入)
        effective_date (datetime.date): 異動日: the day of the move
        person (PersonIn):
        household (PlacementIn): Exactly one of: a new household (the person is its head) or an existing one.
        previous_address (str): 転入前住所, as written there
        confirm_not_duplicate (bool | Unset): the clerk checked the possible duplicates a 409 listed: this is somebody
            else Default: False.
    """

    kind: MoveInCreateKind
    effective_date: datetime.date
    person: PersonIn
    household: PlacementIn
    previous_address: str
    confirm_not_duplicate: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        effective_date = self.effective_date.isoformat()

        person = self.person.to_dict()

        household = self.household.to_dict()

        previous_address = self.previous_address

        confirm_not_duplicate = self.confirm_not_duplicate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "effective_date": effective_date,
                "person": person,
                "household": household,
                "previous_address": previous_address,
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
        kind = MoveInCreateKind(d.pop("kind"))

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        person = PersonIn.from_dict(d.pop("person"))

        household = PlacementIn.from_dict(d.pop("household"))

        previous_address = d.pop("previous_address")

        confirm_not_duplicate = d.pop("confirm_not_duplicate", UNSET)

        move_in_create = cls(
            kind=kind,
            effective_date=effective_date,
            person=person,
            household=household,
            previous_address=previous_address,
            confirm_not_duplicate=confirm_not_duplicate,
        )

        return move_in_create
