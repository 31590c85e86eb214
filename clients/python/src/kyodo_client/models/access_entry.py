from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccessEntry")


@_attrs_define
class AccessEntry:
    """
    Attributes:
        occurred_at (Any): when it happened (ISO 8601, UTC)
        actor (str): who acted: the staff member's login, `<municipality>/<login>`, or a client id
        actor_home (str): the home municipality code of the actor (differs from the acting municipality for staff under
            a support grant)
        acting_municipality (str): the municipality code in whose name the action was taken
        purpose (None | str): the stated purpose code of the read (X-Kyodo-Purpose)
        action (str): what was done (a verb of the audit vocabulary, e.g. `read`, `register`)
        fields (list[str]): the names of the fields read or changed (never their values)
        grant_id (None | str | Unset): the support grant the actor acted under
        terminal (None | str | Unset): the counter terminal, or client:<id> for a partner system
    """

    occurred_at: Any
    actor: str
    actor_home: str
    acting_municipality: str
    purpose: None | str
    action: str
    fields: list[str]
    grant_id: None | str | Unset = UNSET
    terminal: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        occurred_at = self.occurred_at

        actor = self.actor

        actor_home = self.actor_home

        acting_municipality = self.acting_municipality

        purpose: None | str
        purpose = self.purpose

        action = self.action

        fields = self.fields

        grant_id: None | str | Unset
        if isinstance(self.grant_id, Unset):
            grant_id = UNSET
        else:
            grant_id = self.grant_id

        terminal: None | str | Unset
        if isinstance(self.terminal, Unset):
            terminal = UNSET
        else:
            terminal = self.terminal

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "occurred_at": occurred_at,
                "actor": actor,
                "actor_home": actor_home,
                "acting_municipality": acting_municipality,
                "purpose": purpose,
                "action": action,
                "fields": fields,
            }
        )
        if grant_id is not UNSET:
            field_dict["grant_id"] = grant_id
        if terminal is not UNSET:
            field_dict["terminal"] = terminal

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        occurred_at = d.pop("occurred_at")

        actor = d.pop("actor")

        actor_home = d.pop("actor_home")

        acting_municipality = d.pop("acting_municipality")

        def _parse_purpose(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        purpose = _parse_purpose(d.pop("purpose"))

        action = d.pop("action")

        fields = cast(list[str], d.pop("fields"))

        def _parse_grant_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        grant_id = _parse_grant_id(d.pop("grant_id", UNSET))

        def _parse_terminal(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        terminal = _parse_terminal(d.pop("terminal", UNSET))

        access_entry = cls(
            occurred_at=occurred_at,
            actor=actor,
            actor_home=actor_home,
            acting_municipality=acting_municipality,
            purpose=purpose,
            action=action,
            fields=fields,
            grant_id=grant_id,
            terminal=terminal,
        )

        access_entry.additional_properties = d
        return access_entry

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
