from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EventTypePublic")


@_attrs_define
class EventTypePublic:
    """
    Attributes:
        type_ (str): the CloudEvents type, e.g. jp.kyodo.resident.moved_in.v1
        service (str): the producing service
        scope (str): the scope a client needs to subscribe
        summary (str): what the event means
    """

    type_: str
    service: str
    scope: str
    summary: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        service = self.service

        scope = self.scope

        summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "service": service,
                "scope": scope,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = d.pop("type")

        service = d.pop("service")

        scope = d.pop("scope")

        summary = d.pop("summary")

        event_type_public = cls(
            type_=type_,
            service=service,
            scope=scope,
            summary=summary,
        )

        event_type_public.additional_properties = d
        return event_type_public

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
