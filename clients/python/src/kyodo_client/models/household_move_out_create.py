from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.destination_in import DestinationIn
    from ..models.household_move_out_create_relationships import (
        HouseholdMoveOutCreateRelationships,
    )


T = TypeVar("T", bound="HouseholdMoveOutCreate")


@_attrs_define
class HouseholdMoveOutCreate:
    """世帯全員の転出, or of the members named (the others stay, with a new head if needed).

    Attributes:
        effective_date (datetime.date): 予定日: may be in the future
        destination (DestinationIn):
        new_head_id (None | Unset | UUID): the resident who becomes 世帯主 (household head) of the household left behind
        relationships (HouseholdMoveOutCreateRelationships | Unset): 続柄 (relationship to the new head) of each other
            member, by resident id
        members (list[UUID] | None | Unset): who leaves; by default the whole household
    """

    effective_date: datetime.date
    destination: DestinationIn
    new_head_id: None | Unset | UUID = UNSET
    relationships: HouseholdMoveOutCreateRelationships | Unset = UNSET
    members: list[UUID] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        effective_date = self.effective_date.isoformat()

        destination = self.destination.to_dict()

        new_head_id: None | str | Unset
        if isinstance(self.new_head_id, Unset):
            new_head_id = UNSET
        elif isinstance(self.new_head_id, UUID):
            new_head_id = str(self.new_head_id)
        else:
            new_head_id = self.new_head_id

        relationships: dict[str, Any] | Unset = UNSET
        if not isinstance(self.relationships, Unset):
            relationships = self.relationships.to_dict()

        members: list[str] | None | Unset
        if isinstance(self.members, Unset):
            members = UNSET
        elif isinstance(self.members, list):
            members = []
            for members_type_0_item_data in self.members:
                members_type_0_item = str(members_type_0_item_data)
                members.append(members_type_0_item)

        else:
            members = self.members

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_date": effective_date,
                "destination": destination,
            }
        )
        if new_head_id is not UNSET:
            field_dict["new_head_id"] = new_head_id
        if relationships is not UNSET:
            field_dict["relationships"] = relationships
        if members is not UNSET:
            field_dict["members"] = members

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.destination_in import DestinationIn
        from ..models.household_move_out_create_relationships import (
            HouseholdMoveOutCreateRelationships,
        )

        d = dict(src_dict)
        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        destination = DestinationIn.from_dict(d.pop("destination"))

        def _parse_new_head_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                new_head_id_type_0 = UUID(data)

                return new_head_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        new_head_id = _parse_new_head_id(d.pop("new_head_id", UNSET))

        _relationships = d.pop("relationships", UNSET)
        relationships: HouseholdMoveOutCreateRelationships | Unset
        if isinstance(_relationships, Unset):
            relationships = UNSET
        else:
            relationships = HouseholdMoveOutCreateRelationships.from_dict(
                _relationships
            )

        def _parse_members(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                members_type_0 = []
                _members_type_0 = data
                for members_type_0_item_data in _members_type_0:
                    members_type_0_item = UUID(members_type_0_item_data)

                    members_type_0.append(members_type_0_item)

                return members_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        members = _parse_members(d.pop("members", UNSET))

        household_move_out_create = cls(
            effective_date=effective_date,
            destination=destination,
            new_head_id=new_head_id,
            relationships=relationships,
            members=members,
        )

        return household_move_out_create
