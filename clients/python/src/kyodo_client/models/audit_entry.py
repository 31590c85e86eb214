from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuditEntry")


@_attrs_define
class AuditEntry:
    """
    Attributes:
        id (int): the entry's serial number
        occurred_at (datetime.datetime): when it happened (ISO 8601, UTC)
        actor (str): who acted: the staff member's login, `<municipality>/<login>`, or a client id
        actor_home (str): the home municipality code of the actor (differs from the acting municipality for staff under
            a support grant)
        acting_municipality (str): the municipality code in whose name the action was taken
        grant_id (None | str): the support grant (支援の権限付与) the actor acted under; null when acting for their own
            municipality
        action (str): what was done (a verb of the audit vocabulary, e.g. `read`, `register`)
        subject_type (str): the kind of record acted on
        subject_id (str): the id of the record acted on
        fields (list[str]): the names of the fields read or changed (never their values)
        purpose (None | str): the stated purpose code of a read
        trace_id (None | str): the W3C trace id of the request (32 hex digits)
        sealed (bool): true once the entry is covered by a sealed hash-chain block
    """

    id: int
    occurred_at: datetime.datetime
    actor: str
    actor_home: str
    acting_municipality: str
    grant_id: None | str
    action: str
    subject_type: str
    subject_id: str
    fields: list[str]
    purpose: None | str
    trace_id: None | str
    sealed: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        occurred_at = self.occurred_at.isoformat()

        actor = self.actor

        actor_home = self.actor_home

        acting_municipality = self.acting_municipality

        grant_id: None | str
        grant_id = self.grant_id

        action = self.action

        subject_type = self.subject_type

        subject_id = self.subject_id

        fields = self.fields

        purpose: None | str
        purpose = self.purpose

        trace_id: None | str
        trace_id = self.trace_id

        sealed = self.sealed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "occurred_at": occurred_at,
                "actor": actor,
                "actor_home": actor_home,
                "acting_municipality": acting_municipality,
                "grant_id": grant_id,
                "action": action,
                "subject_type": subject_type,
                "subject_id": subject_id,
                "fields": fields,
                "purpose": purpose,
                "trace_id": trace_id,
                "sealed": sealed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        actor = d.pop("actor")

        actor_home = d.pop("actor_home")

        acting_municipality = d.pop("acting_municipality")

        def _parse_grant_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        grant_id = _parse_grant_id(d.pop("grant_id"))

        action = d.pop("action")

        subject_type = d.pop("subject_type")

        subject_id = d.pop("subject_id")

        fields = cast(list[str], d.pop("fields"))

        def _parse_purpose(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        purpose = _parse_purpose(d.pop("purpose"))

        def _parse_trace_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        trace_id = _parse_trace_id(d.pop("trace_id"))

        sealed = d.pop("sealed")

        audit_entry = cls(
            id=id,
            occurred_at=occurred_at,
            actor=actor,
            actor_home=actor_home,
            acting_municipality=acting_municipality,
            grant_id=grant_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            fields=fields,
            purpose=purpose,
            trace_id=trace_id,
            sealed=sealed,
        )

        audit_entry.additional_properties = d
        return audit_entry

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
