from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.household_transfer_move_in_create_relationships import (
        HouseholdTransferMoveInCreateRelationships,
    )
    from ..models.new_household_in import NewHouseholdIn


T = TypeVar("T", bound="HouseholdTransferMoveInCreate")


@_attrs_define
class HouseholdTransferMoveInCreate:
    """世帯全員の転入 from another platform municipality: its members' transfer notices.

    Attributes:
        transfer_ids (list[UUID]): the notices of one household, all confirmed or none
        effective_date (datetime.date): 異動日: the day they moved in
        with_my_number_card (bool | Unset): 特例転入 Default: False.
        new_household (NewHouseholdIn | None | Unset): the address here; by default the notices' destination
        head_transfer_id (None | Unset | UUID): only when the household's head did not come along
        relationships (HouseholdTransferMoveInCreateRelationships | Unset): with head_transfer_id: each other member's
            続柄 to the new head, by transfer id
    """

    transfer_ids: list[UUID]
    effective_date: datetime.date
    with_my_number_card: bool | Unset = False
    new_household: NewHouseholdIn | None | Unset = UNSET
    head_transfer_id: None | Unset | UUID = UNSET
    relationships: HouseholdTransferMoveInCreateRelationships | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.new_household_in import NewHouseholdIn

        transfer_ids = []
        for transfer_ids_item_data in self.transfer_ids:
            transfer_ids_item = str(transfer_ids_item_data)
            transfer_ids.append(transfer_ids_item)

        effective_date = self.effective_date.isoformat()

        with_my_number_card = self.with_my_number_card

        new_household: dict[str, Any] | None | Unset
        if isinstance(self.new_household, Unset):
            new_household = UNSET
        elif isinstance(self.new_household, NewHouseholdIn):
            new_household = self.new_household.to_dict()
        else:
            new_household = self.new_household

        head_transfer_id: None | str | Unset
        if isinstance(self.head_transfer_id, Unset):
            head_transfer_id = UNSET
        elif isinstance(self.head_transfer_id, UUID):
            head_transfer_id = str(self.head_transfer_id)
        else:
            head_transfer_id = self.head_transfer_id

        relationships: dict[str, Any] | Unset = UNSET
        if not isinstance(self.relationships, Unset):
            relationships = self.relationships.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "transfer_ids": transfer_ids,
                "effective_date": effective_date,
            }
        )
        if with_my_number_card is not UNSET:
            field_dict["with_my_number_card"] = with_my_number_card
        if new_household is not UNSET:
            field_dict["new_household"] = new_household
        if head_transfer_id is not UNSET:
            field_dict["head_transfer_id"] = head_transfer_id
        if relationships is not UNSET:
            field_dict["relationships"] = relationships

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.household_transfer_move_in_create_relationships import (
            HouseholdTransferMoveInCreateRelationships,
        )
        from ..models.new_household_in import NewHouseholdIn

        d = dict(src_dict)
        transfer_ids = []
        _transfer_ids = d.pop("transfer_ids")
        for transfer_ids_item_data in _transfer_ids:
            transfer_ids_item = UUID(transfer_ids_item_data)

            transfer_ids.append(transfer_ids_item)

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        with_my_number_card = d.pop("with_my_number_card", UNSET)

        def _parse_new_household(data: object) -> NewHouseholdIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                new_household_type_0 = NewHouseholdIn.from_dict(data)

                return new_household_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NewHouseholdIn | None | Unset, data)

        new_household = _parse_new_household(d.pop("new_household", UNSET))

        def _parse_head_transfer_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                head_transfer_id_type_0 = UUID(data)

                return head_transfer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        head_transfer_id = _parse_head_transfer_id(d.pop("head_transfer_id", UNSET))

        _relationships = d.pop("relationships", UNSET)
        relationships: HouseholdTransferMoveInCreateRelationships | Unset
        if isinstance(_relationships, Unset):
            relationships = UNSET
        else:
            relationships = HouseholdTransferMoveInCreateRelationships.from_dict(
                _relationships
            )

        household_transfer_move_in_create = cls(
            transfer_ids=transfer_ids,
            effective_date=effective_date,
            with_my_number_card=with_my_number_card,
            new_household=new_household,
            head_transfer_id=head_transfer_id,
            relationships=relationships,
        )

        return household_transfer_move_in_create
