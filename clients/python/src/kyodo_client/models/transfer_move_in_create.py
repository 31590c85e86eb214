from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.placement_in import PlacementIn


T = TypeVar("T", bound="TransferMoveInCreate")


@_attrs_define
class TransferMoveInCreate:
    """転入 from another platform municipality: confirm its transfer notice.

    Attributes:
        transfer_id (UUID): the transfer notice from the origin municipality
        effective_date (datetime.date): 異動日: the day the person moved in
        with_my_number_card (bool | Unset): 特例転入 Default: False.
        household (None | PlacementIn | Unset): a new household or one to join; by default a new one at the notice's
            destination
    """

    transfer_id: UUID
    effective_date: datetime.date
    with_my_number_card: bool | Unset = False
    household: None | PlacementIn | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.placement_in import PlacementIn

        transfer_id = str(self.transfer_id)

        effective_date = self.effective_date.isoformat()

        with_my_number_card = self.with_my_number_card

        household: dict[str, Any] | None | Unset
        if isinstance(self.household, Unset):
            household = UNSET
        elif isinstance(self.household, PlacementIn):
            household = self.household.to_dict()
        else:
            household = self.household

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "transfer_id": transfer_id,
                "effective_date": effective_date,
            }
        )
        if with_my_number_card is not UNSET:
            field_dict["with_my_number_card"] = with_my_number_card
        if household is not UNSET:
            field_dict["household"] = household

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.placement_in import PlacementIn

        d = dict(src_dict)
        transfer_id = UUID(d.pop("transfer_id"))

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        with_my_number_card = d.pop("with_my_number_card", UNSET)

        def _parse_household(data: object) -> None | PlacementIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                household_type_0 = PlacementIn.from_dict(data)

                return household_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlacementIn | Unset, data)

        household = _parse_household(d.pop("household", UNSET))

        transfer_move_in_create = cls(
            transfer_id=transfer_id,
            effective_date=effective_date,
            with_my_number_card=with_my_number_card,
            household=household,
        )

        return transfer_move_in_create
