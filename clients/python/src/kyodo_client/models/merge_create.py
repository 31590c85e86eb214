from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.merge_create_relationships import MergeCreateRelationships


T = TypeVar("T", bound="MergeCreate")


@_attrs_define
class MergeCreate:
    """
    Attributes:
        effective_date (datetime.date): the date the change takes effect (異動日): not after today
        other_household_id (UUID): the household merged into this one (世帯合併); it ceases
        relationships (MergeCreateRelationships): each incoming member's 続柄 to this household's head
    """

    effective_date: datetime.date
    other_household_id: UUID
    relationships: MergeCreateRelationships

    def to_dict(self) -> dict[str, Any]:
        effective_date = self.effective_date.isoformat()

        other_household_id = str(self.other_household_id)

        relationships = self.relationships.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_date": effective_date,
                "other_household_id": other_household_id,
                "relationships": relationships,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.merge_create_relationships import MergeCreateRelationships

        d = dict(src_dict)
        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        other_household_id = UUID(d.pop("other_household_id"))

        relationships = MergeCreateRelationships.from_dict(d.pop("relationships"))

        merge_create = cls(
            effective_date=effective_date,
            other_household_id=other_household_id,
            relationships=relationships,
        )

        return merge_create
