from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.health import Health
    from ..models.owner import Owner
    from ..models.subscription_public_filters import SubscriptionPublicFilters


T = TypeVar("T", bound="SubscriptionPublic")


@_attrs_define
class SubscriptionPublic:
    """
    Attributes:
        id (str): the subscription's id
        municipality_code (str): the municipality's 6-digit local government code (全国地方公共団体コード)
        owner (Owner):
        event_types (list[str]): the event types delivered
        filters (SubscriptionPublicFilters): conditions on the events delivered
        callback_url (str): the HTTPS URL events are POSTed to
        description (None | str): what the subscription is for
        state (str): pending_approval | active | paused | ended
        version (int): the record's version, incremented on every change; its ETag is W/"<version>"
        created_at (None | str): when it was made
        approved_by (None | str): the municipality's admin who consented
        approved_at (None | str): when it was approved
        ended_by (None | str): who ended it
        ended_at (None | str): when it was ended
        health (Health):
        previous_secret_valid_until (None | str): until when the previous signing secret is still used
    """

    id: str
    municipality_code: str
    owner: Owner
    event_types: list[str]
    filters: SubscriptionPublicFilters
    callback_url: str
    description: None | str
    state: str
    version: int
    created_at: None | str
    approved_by: None | str
    approved_at: None | str
    ended_by: None | str
    ended_at: None | str
    health: Health
    previous_secret_valid_until: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        municipality_code = self.municipality_code

        owner = self.owner.to_dict()

        event_types = self.event_types

        filters = self.filters.to_dict()

        callback_url = self.callback_url

        description: None | str
        description = self.description

        state = self.state

        version = self.version

        created_at: None | str
        created_at = self.created_at

        approved_by: None | str
        approved_by = self.approved_by

        approved_at: None | str
        approved_at = self.approved_at

        ended_by: None | str
        ended_by = self.ended_by

        ended_at: None | str
        ended_at = self.ended_at

        health = self.health.to_dict()

        previous_secret_valid_until: None | str
        previous_secret_valid_until = self.previous_secret_valid_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "municipality_code": municipality_code,
                "owner": owner,
                "event_types": event_types,
                "filters": filters,
                "callback_url": callback_url,
                "description": description,
                "state": state,
                "version": version,
                "created_at": created_at,
                "approved_by": approved_by,
                "approved_at": approved_at,
                "ended_by": ended_by,
                "ended_at": ended_at,
                "health": health,
                "previous_secret_valid_until": previous_secret_valid_until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.health import Health
        from ..models.owner import Owner
        from ..models.subscription_public_filters import SubscriptionPublicFilters

        d = dict(src_dict)
        id = d.pop("id")

        municipality_code = d.pop("municipality_code")

        owner = Owner.from_dict(d.pop("owner"))

        event_types = cast(list[str], d.pop("event_types"))

        filters = SubscriptionPublicFilters.from_dict(d.pop("filters"))

        callback_url = d.pop("callback_url")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        state = d.pop("state")

        version = d.pop("version")

        def _parse_created_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_at = _parse_created_at(d.pop("created_at"))

        def _parse_approved_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        approved_by = _parse_approved_by(d.pop("approved_by"))

        def _parse_approved_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        approved_at = _parse_approved_at(d.pop("approved_at"))

        def _parse_ended_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ended_by = _parse_ended_by(d.pop("ended_by"))

        def _parse_ended_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        health = Health.from_dict(d.pop("health"))

        def _parse_previous_secret_valid_until(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_secret_valid_until = _parse_previous_secret_valid_until(
            d.pop("previous_secret_valid_until")
        )

        subscription_public = cls(
            id=id,
            municipality_code=municipality_code,
            owner=owner,
            event_types=event_types,
            filters=filters,
            callback_url=callback_url,
            description=description,
            state=state,
            version=version,
            created_at=created_at,
            approved_by=approved_by,
            approved_at=approved_at,
            ended_by=ended_by,
            ended_at=ended_at,
            health=health,
            previous_secret_valid_until=previous_secret_valid_until,
        )

        subscription_public.additional_properties = d
        return subscription_public

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
