from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.household_change_create_relationships import (
        HouseholdChangeCreateRelationships,
    )


T = TypeVar("T", bound="HouseholdChangeCreate")


@_attrs_define
class HouseholdChangeCreate:
    """世帯変更: the resident leaves their household and joins this one; ``new_head_id`` and
    ``relationships`` are for the household they leave, when its head leaves members behind.

        Attributes:
            effective_date (datetime.date): the date the change takes effect (異動日): not after today
            resident_id (UUID): the resident who joins this household
            relationship (str): 続柄 to this household's head, e.g. 子の妻
            new_head_id (None | Unset | UUID): the resident who becomes 世帯主 (household head) of the household left behind
            relationships (HouseholdChangeCreateRelationships | Unset): 続柄 (relationship to the new head) of each other
                member, by resident id
    """

    effective_date: datetime.date
    resident_id: UUID
    relationship: str
    new_head_id: None | Unset | UUID = UNSET
    relationships: HouseholdChangeCreateRelationships | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        effective_date = self.effective_date.isoformat()

        resident_id = str(self.resident_id)

        relationship = self.relationship

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_date": effective_date,
                "resident_id": resident_id,
                "relationship": relationship,
            }
        )
        if new_head_id is not UNSET:
            field_dict["new_head_id"] = new_head_id
        if relationships is not UNSET:
            field_dict["relationships"] = relationships

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.household_change_create_relationships import (
            HouseholdChangeCreateRelationships,
        )

        d = dict(src_dict)
        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        resident_id = UUID(d.pop("resident_id"))

        relationship = d.pop("relationship")

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
        relationships: HouseholdChangeCreateRelationships | Unset
        if isinstance(_relationships, Unset):
            relationships = UNSET
        else:
            relationships = HouseholdChangeCreateRelationships.from_dict(_relationships)

        household_change_create = cls(
            effective_date=effective_date,
            resident_id=resident_id,
            relationship=relationship,
            new_head_id=new_head_id,
            relationships=relationships,
        )

        return household_change_create
