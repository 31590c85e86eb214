from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DisasterUpdate")


@_attrs_define
class DisasterUpdate:
    """Widen the area or extend the window (If-Match required).

    Attributes:
        affected_area (list[str] | None | Unset): the whole affected area, widened (never narrowed)
        application_closes_on (datetime.date | None | Unset): a later last day for applications
    """

    affected_area: list[str] | None | Unset = UNSET
    application_closes_on: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        affected_area: list[str] | None | Unset
        if isinstance(self.affected_area, Unset):
            affected_area = UNSET
        elif isinstance(self.affected_area, list):
            affected_area = self.affected_area

        else:
            affected_area = self.affected_area

        application_closes_on: None | str | Unset
        if isinstance(self.application_closes_on, Unset):
            application_closes_on = UNSET
        elif isinstance(self.application_closes_on, datetime.date):
            application_closes_on = self.application_closes_on.isoformat()
        else:
            application_closes_on = self.application_closes_on

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if affected_area is not UNSET:
            field_dict["affected_area"] = affected_area
        if application_closes_on is not UNSET:
            field_dict["application_closes_on"] = application_closes_on

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_affected_area(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                affected_area_type_0 = cast(list[str], data)

                return affected_area_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        affected_area = _parse_affected_area(d.pop("affected_area", UNSET))

        def _parse_application_closes_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                application_closes_on_type_0 = datetime.date.fromisoformat(data)

                return application_closes_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        application_closes_on = _parse_application_closes_on(
            d.pop("application_closes_on", UNSET)
        )

        disaster_update = cls(
            affected_area=affected_area,
            application_closes_on=application_closes_on,
        )

        return disaster_update
