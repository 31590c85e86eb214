from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attempt import Attempt


T = TypeVar("T", bound="DeliveryPublic")


@_attrs_define
class DeliveryPublic:
    """
    Attributes:
        id (str): the delivery's id
        webhook_id (str): the webhook-id header sent (the same on every attempt)
        event_id (str): the CloudEvent's id
        event_type (str): the CloudEvent's type
        subject (str): the event's subject (an id, never personal data)
        state (str): pending | delivered | dead
        attempts (int): attempts made
        created_at (None | str): when the delivery was queued
        next_attempt_at (None | str): when the next attempt is due
        delivered_at (None | str): when the callback accepted it
        dead_at (None | str): when retries were given up (dead letter)
        last_status (int | None): the last attempt's HTTP status
        last_error (None | str): the last attempt's error
        log (list[Attempt]): every attempt
    """

    id: str
    webhook_id: str
    event_id: str
    event_type: str
    subject: str
    state: str
    attempts: int
    created_at: None | str
    next_attempt_at: None | str
    delivered_at: None | str
    dead_at: None | str
    last_status: int | None
    last_error: None | str
    log: list[Attempt]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        webhook_id = self.webhook_id

        event_id = self.event_id

        event_type = self.event_type

        subject = self.subject

        state = self.state

        attempts = self.attempts

        created_at: None | str
        created_at = self.created_at

        next_attempt_at: None | str
        next_attempt_at = self.next_attempt_at

        delivered_at: None | str
        delivered_at = self.delivered_at

        dead_at: None | str
        dead_at = self.dead_at

        last_status: int | None
        last_status = self.last_status

        last_error: None | str
        last_error = self.last_error

        log = []
        for log_item_data in self.log:
            log_item = log_item_data.to_dict()
            log.append(log_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "webhook_id": webhook_id,
                "event_id": event_id,
                "event_type": event_type,
                "subject": subject,
                "state": state,
                "attempts": attempts,
                "created_at": created_at,
                "next_attempt_at": next_attempt_at,
                "delivered_at": delivered_at,
                "dead_at": dead_at,
                "last_status": last_status,
                "last_error": last_error,
                "log": log,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attempt import Attempt

        d = dict(src_dict)
        id = d.pop("id")

        webhook_id = d.pop("webhook_id")

        event_id = d.pop("event_id")

        event_type = d.pop("event_type")

        subject = d.pop("subject")

        state = d.pop("state")

        attempts = d.pop("attempts")

        def _parse_created_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_at = _parse_created_at(d.pop("created_at"))

        def _parse_next_attempt_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_delivered_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at"))

        def _parse_dead_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        dead_at = _parse_dead_at(d.pop("dead_at"))

        def _parse_last_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status = _parse_last_status(d.pop("last_status"))

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))

        log = []
        _log = d.pop("log")
        for log_item_data in _log:
            log_item = Attempt.from_dict(log_item_data)

            log.append(log_item)

        delivery_public = cls(
            id=id,
            webhook_id=webhook_id,
            event_id=event_id,
            event_type=event_type,
            subject=subject,
            state=state,
            attempts=attempts,
            created_at=created_at,
            next_attempt_at=next_attempt_at,
            delivered_at=delivered_at,
            dead_at=dead_at,
            last_status=last_status,
            last_error=last_error,
            log=log,
        )

        delivery_public.additional_properties = d
        return delivery_public

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
