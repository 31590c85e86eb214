from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.split_create_relationships import SplitCreateRelationships
    from ..models.split_create_remaining_relationships import (
        SplitCreateRemainingRelationships,
    )


T = TypeVar("T", bound="SplitCreate")


@_attrs_define
class SplitCreate:
    """
    Attributes:
        effective_date (datetime.date): 異動日 of the 世帯分離 (household split)
        members (list[UUID]): the residents who leave to form the new household
        new_head_id (UUID): the 世帯主 of the new household (one of members)
        relationships (SplitCreateRelationships | Unset): the other leaving members' 続柄 to the new head
        remaining_head_id (None | Unset | UUID): a new head for the household left behind, when its head leaves
        remaining_relationships (SplitCreateRemainingRelationships | Unset): the remaining members' 続柄 to their new head
        postal_code (None | str | Unset): the new household's postal code; by default the same address
        address (None | str | Unset): the new household's address; by default the same (同一住所での世帯分離)
    """

    effective_date: datetime.date
    members: list[UUID]
    new_head_id: UUID
    relationships: SplitCreateRelationships | Unset = UNSET
    remaining_head_id: None | Unset | UUID = UNSET
    remaining_relationships: SplitCreateRemainingRelationships | Unset = UNSET
    postal_code: None | str | Unset = UNSET
    address: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        effective_date = self.effective_date.isoformat()

        members = []
        for members_item_data in self.members:
            members_item = str(members_item_data)
            members.append(members_item)

        new_head_id = str(self.new_head_id)

        relationships: dict[str, Any] | Unset = UNSET
        if not isinstance(self.relationships, Unset):
            relationships = self.relationships.to_dict()

        remaining_head_id: None | str | Unset
        if isinstance(self.remaining_head_id, Unset):
            remaining_head_id = UNSET
        elif isinstance(self.remaining_head_id, UUID):
            remaining_head_id = str(self.remaining_head_id)
        else:
            remaining_head_id = self.remaining_head_id

        remaining_relationships: dict[str, Any] | Unset = UNSET
        if not isinstance(self.remaining_relationships, Unset):
            remaining_relationships = self.remaining_relationships.to_dict()

        postal_code: None | str | Unset
        if isinstance(self.postal_code, Unset):
            postal_code = UNSET
        else:
            postal_code = self.postal_code

        address: None | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        else:
            address = self.address

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_date": effective_date,
                "members": members,
                "new_head_id": new_head_id,
            }
        )
        if relationships is not UNSET:
            field_dict["relationships"] = relationships
        if remaining_head_id is not UNSET:
            field_dict["remaining_head_id"] = remaining_head_id
        if remaining_relationships is not UNSET:
            field_dict["remaining_relationships"] = remaining_relationships
        if postal_code is not UNSET:
            field_dict["postal_code"] = postal_code
        if address is not UNSET:
            field_dict["address"] = address

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.split_create_relationships import SplitCreateRelationships
        from ..models.split_create_remaining_relationships import (
            SplitCreateRemainingRelationships,
        )

        d = dict(src_dict)
        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        members = []
        _members = d.pop("members")
        for members_item_data in _members:
            members_item = UUID(members_item_data)

            members.append(members_item)

        new_head_id = UUID(d.pop("new_head_id"))

        _relationships = d.pop("relationships", UNSET)
        relationships: SplitCreateRelationships | Unset
        if isinstance(_relationships, Unset):
            relationships = UNSET
        else:
            relationships = SplitCreateRelationships.from_dict(_relationships)

        def _parse_remaining_head_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                remaining_head_id_type_0 = UUID(data)

                return remaining_head_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        remaining_head_id = _parse_remaining_head_id(d.pop("remaining_head_id", UNSET))

        _remaining_relationships = d.pop("remaining_relationships", UNSET)
        remaining_relationships: SplitCreateRemainingRelationships | Unset
        if isinstance(_remaining_relationships, Unset):
            remaining_relationships = UNSET
        else:
            remaining_relationships = SplitCreateRemainingRelationships.from_dict(
                _remaining_relationships
            )

        def _parse_postal_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        postal_code = _parse_postal_code(d.pop("postal_code", UNSET))

        def _parse_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        split_create = cls(
            effective_date=effective_date,
            members=members,
            new_head_id=new_head_id,
            relationships=relationships,
            remaining_head_id=remaining_head_id,
            remaining_relationships=remaining_relationships,
            postal_code=postal_code,
            address=address,
        )

        return split_create
