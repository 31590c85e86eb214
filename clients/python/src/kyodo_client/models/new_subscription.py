from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.new_subscription_filters_type_0 import NewSubscriptionFiltersType0


T = TypeVar("T", bound="NewSubscription")


@_attrs_define
class NewSubscription:
    """
    Attributes:
        callback_url (str): https URL the notifications are POSTed to
        event_types (list[str]): e.g. jp.kyodo.resident.moved_out.v1
        filters (NewSubscriptionFiltersType0 | None | Unset): narrow to non-personal attributes: disaster_id,
            fiscal_year
        description (None | str | Unset): what the subscription is for
    """

    callback_url: str
    event_types: list[str]
    filters: NewSubscriptionFiltersType0 | None | Unset = UNSET
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.new_subscription_filters_type_0 import NewSubscriptionFiltersType0

        callback_url = self.callback_url

        event_types = self.event_types

        filters: dict[str, Any] | None | Unset
        if isinstance(self.filters, Unset):
            filters = UNSET
        elif isinstance(self.filters, NewSubscriptionFiltersType0):
            filters = self.filters.to_dict()
        else:
            filters = self.filters

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "callback_url": callback_url,
                "event_types": event_types,
            }
        )
        if filters is not UNSET:
            field_dict["filters"] = filters
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.new_subscription_filters_type_0 import NewSubscriptionFiltersType0

        d = dict(src_dict)
        callback_url = d.pop("callback_url")

        event_types = cast(list[str], d.pop("event_types"))

        def _parse_filters(data: object) -> NewSubscriptionFiltersType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filters_type_0 = NewSubscriptionFiltersType0.from_dict(data)

                return filters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NewSubscriptionFiltersType0 | None | Unset, data)

        filters = _parse_filters(d.pop("filters", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        new_subscription = cls(
            callback_url=callback_url,
            event_types=event_types,
            filters=filters,
            description=description,
        )

        return new_subscription
