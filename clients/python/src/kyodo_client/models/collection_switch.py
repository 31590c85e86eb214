from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.switch_reason import SwitchReason

T = TypeVar("T", bound="CollectionSwitch")


@_attrs_define
class CollectionSwitch:
    """
    Attributes:
        reason (SwitchReason):
        on (datetime.date): the day of leaving the job or of death
    """

    reason: SwitchReason
    on: datetime.date

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason.value

        on = self.on.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
                "on": on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        reason = SwitchReason(d.pop("reason"))

        on = datetime.date.fromisoformat(d.pop("on"))

        collection_switch = cls(
            reason=reason,
            on=on,
        )

        return collection_switch
