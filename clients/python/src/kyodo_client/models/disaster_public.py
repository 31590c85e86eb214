from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.disaster_kind import DisasterKind

T = TypeVar("T", bound="DisasterPublic")


@_attrs_define
class DisasterPublic:
    """
    Attributes:
        id (UUID): the disaster's id
        municipality_code (str): the municipality's 6-digit local government code (全国地方公共団体コード)
        name (str): the disaster's name
        kind (DisasterKind):
        kind_label (str): the kind in Japanese, e.g. 風水害
        occurred_on (datetime.date): 発生日 (the date it occurred)
        affected_area (list[str]): the affected area: addresses (town, 丁目) or postal codes
        application_opens_on (datetime.date): the first day 罹災証明書 applications are taken
        application_closes_on (datetime.date): the last day applications are taken
        version (int): the record's version, incremented on every change; its ETag is W/"<version>"
    """

    id: UUID
    municipality_code: str
    name: str
    kind: DisasterKind
    kind_label: str
    occurred_on: datetime.date
    affected_area: list[str]
    application_opens_on: datetime.date
    application_closes_on: datetime.date
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        municipality_code = self.municipality_code

        name = self.name

        kind = self.kind.value

        kind_label = self.kind_label

        occurred_on = self.occurred_on.isoformat()

        affected_area = self.affected_area

        application_opens_on = self.application_opens_on.isoformat()

        application_closes_on = self.application_closes_on.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "municipality_code": municipality_code,
                "name": name,
                "kind": kind,
                "kind_label": kind_label,
                "occurred_on": occurred_on,
                "affected_area": affected_area,
                "application_opens_on": application_opens_on,
                "application_closes_on": application_closes_on,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        municipality_code = d.pop("municipality_code")

        name = d.pop("name")

        kind = DisasterKind(d.pop("kind"))

        kind_label = d.pop("kind_label")

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        affected_area = cast(list[str], d.pop("affected_area"))

        application_opens_on = datetime.date.fromisoformat(
            d.pop("application_opens_on")
        )

        application_closes_on = datetime.date.fromisoformat(
            d.pop("application_closes_on")
        )

        version = d.pop("version")

        disaster_public = cls(
            id=id,
            municipality_code=municipality_code,
            name=name,
            kind=kind,
            kind_label=kind_label,
            occurred_on=occurred_on,
            affected_area=affected_area,
            application_opens_on=application_opens_on,
            application_closes_on=application_closes_on,
            version=version,
        )

        disaster_public.additional_properties = d
        return disaster_public

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
