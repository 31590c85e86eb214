from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.removal_create_relationships import RemovalCreateRelationships


T = TypeVar("T", bound="RemovalCreate")


@_attrs_define
class RemovalCreate:
    """
    Attributes:
        effective_date (datetime.date): the date from which the record is removed (職権消除)
        new_head_id (None | Unset | UUID): the resident who becomes 世帯主 (household head) of the household left behind
        relationships (RemovalCreateRelationships | Unset): 続柄 (relationship to the new head) of each other member, by
            resident id
    """

    effective_date: datetime.date
    new_head_id: None | Unset | UUID = UNSET
    relationships: RemovalCreateRelationships | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        effective_date = self.effective_date.isoformat()

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
            }
        )
        if new_head_id is not UNSET:
            field_dict["new_head_id"] = new_head_id
        if relationships is not UNSET:
            field_dict["relationships"] = relationships

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.removal_create_relationships import RemovalCreateRelationships

        d = dict(src_dict)
        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

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
        relationships: RemovalCreateRelationships | Unset
        if isinstance(_relationships, Unset):
            relationships = UNSET
        else:
            relationships = RemovalCreateRelationships.from_dict(_relationships)

        removal_create = cls(
            effective_date=effective_date,
            new_head_id=new_head_id,
            relationships=relationships,
        )

        return removal_create
