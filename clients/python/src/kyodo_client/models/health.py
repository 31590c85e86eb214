from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Health")


@_attrs_define
class Health:
    """
    Attributes:
        consecutive_failures (int): failed deliveries in a row
        failing_since (None | str): since when deliveries fail
        next_probe_at (None | str): when the next attempt is due while failing
        last_success_at (None | str): the last successful delivery
        last_error (None | str): the last error
    """

    consecutive_failures: int
    failing_since: None | str
    next_probe_at: None | str
    last_success_at: None | str
    last_error: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consecutive_failures = self.consecutive_failures

        failing_since: None | str
        failing_since = self.failing_since

        next_probe_at: None | str
        next_probe_at = self.next_probe_at

        last_success_at: None | str
        last_success_at = self.last_success_at

        last_error: None | str
        last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consecutive_failures": consecutive_failures,
                "failing_since": failing_since,
                "next_probe_at": next_probe_at,
                "last_success_at": last_success_at,
                "last_error": last_error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        consecutive_failures = d.pop("consecutive_failures")

        def _parse_failing_since(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failing_since = _parse_failing_since(d.pop("failing_since"))

        def _parse_next_probe_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_probe_at = _parse_next_probe_at(d.pop("next_probe_at"))

        def _parse_last_success_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_success_at = _parse_last_success_at(d.pop("last_success_at"))

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))

        health = cls(
            consecutive_failures=consecutive_failures,
            failing_since=failing_since,
            next_probe_at=next_probe_at,
            last_success_at=last_success_at,
            last_error=last_error,
        )

        health.additional_properties = d
        return health

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
