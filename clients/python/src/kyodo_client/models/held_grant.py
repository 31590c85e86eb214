from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="HeldGrant")


@_attrs_define
class HeldGrant:
    """A support grant in force that lends the caller rights in the grantor's name.

    Attributes:
        grant_id (UUID): The support grant's id (支援協定)
        grantor_municipality (str): The lending municipality's code (全国地方公共団体コード)
        grantor_name (str): The lending municipality's name, e.g. 三条市
        scopes (list[str]): The scopes the grant lends in the grantor's name
        valid_from (datetime.datetime): When the grant came into force
        valid_until (datetime.datetime): When the grant ends
    """

    grant_id: UUID
    grantor_municipality: str
    grantor_name: str
    scopes: list[str]
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        grant_id = str(self.grant_id)

        grantor_municipality = self.grantor_municipality

        grantor_name = self.grantor_name

        scopes = self.scopes

        valid_from = self.valid_from.isoformat()

        valid_until = self.valid_until.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "grant_id": grant_id,
                "grantor_municipality": grantor_municipality,
                "grantor_name": grantor_name,
                "scopes": scopes,
                "valid_from": valid_from,
                "valid_until": valid_until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        grant_id = UUID(d.pop("grant_id"))

        grantor_municipality = d.pop("grantor_municipality")

        grantor_name = d.pop("grantor_name")

        scopes = cast(list[str], d.pop("scopes"))

        valid_from = datetime.datetime.fromisoformat(d.pop("valid_from"))

        valid_until = datetime.datetime.fromisoformat(d.pop("valid_until"))

        held_grant = cls(
            grant_id=grant_id,
            grantor_municipality=grantor_municipality,
            grantor_name=grantor_name,
            scopes=scopes,
            valid_from=valid_from,
            valid_until=valid_until,
        )

        held_grant.additional_properties = d
        return held_grant

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
