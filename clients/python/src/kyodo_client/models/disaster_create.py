from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.disaster_kind import DisasterKind

T = TypeVar("T", bound="DisasterCreate")


@_attrs_define
class DisasterCreate:
    """災害の宣言: what happened, where, and when applications are taken.

    Attributes:
        name (str): the disaster's name, e.g. 令和6年7月大雨災害
        kind (DisasterKind):
        occurred_on (datetime.date): 発生日 (the date it occurred)
        affected_area (list[str]): 町名/地区 names or postal codes
        application_opens_on (datetime.date): 罹災証明書 applications from this day
        application_closes_on (datetime.date): … to this day (commonly 1–3 months)
    """

    name: str
    kind: DisasterKind
    occurred_on: datetime.date
    affected_area: list[str]
    application_opens_on: datetime.date
    application_closes_on: datetime.date

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        kind = self.kind.value

        occurred_on = self.occurred_on.isoformat()

        affected_area = self.affected_area

        application_opens_on = self.application_opens_on.isoformat()

        application_closes_on = self.application_closes_on.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "kind": kind,
                "occurred_on": occurred_on,
                "affected_area": affected_area,
                "application_opens_on": application_opens_on,
                "application_closes_on": application_closes_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        kind = DisasterKind(d.pop("kind"))

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        affected_area = cast(list[str], d.pop("affected_area"))

        application_opens_on = datetime.date.fromisoformat(
            d.pop("application_opens_on")
        )

        application_closes_on = datetime.date.fromisoformat(
            d.pop("application_closes_on")
        )

        disaster_create = cls(
            name=name,
            kind=kind,
            occurred_on=occurred_on,
            affected_area=affected_area,
            application_opens_on=application_opens_on,
            application_closes_on=application_closes_on,
        )

        return disaster_create
