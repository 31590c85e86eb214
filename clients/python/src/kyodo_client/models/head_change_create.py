from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.head_change_create_relationships import HeadChangeCreateRelationships


T = TypeVar("T", bound="HeadChangeCreate")


@_attrs_define
class HeadChangeCreate:
    """
    Attributes:
        effective_date (datetime.date): the date the change takes effect (異動日): not after today
        new_head_id (UUID): the member who becomes 世帯主 (household head)
        relationships (HeadChangeCreateRelationships): each other member's 続柄 to the new head, by resident id
    """

    effective_date: datetime.date
    new_head_id: UUID
    relationships: HeadChangeCreateRelationships

    def to_dict(self) -> dict[str, Any]:
        effective_date = self.effective_date.isoformat()

        new_head_id = str(self.new_head_id)

        relationships = self.relationships.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_date": effective_date,
                "new_head_id": new_head_id,
                "relationships": relationships,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.head_change_create_relationships import (
            HeadChangeCreateRelationships,
        )

        d = dict(src_dict)
        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        new_head_id = UUID(d.pop("new_head_id"))

        relationships = HeadChangeCreateRelationships.from_dict(d.pop("relationships"))

        head_change_create = cls(
            effective_date=effective_date,
            new_head_id=new_head_id,
            relationships=relationships,
        )

        return head_change_create
