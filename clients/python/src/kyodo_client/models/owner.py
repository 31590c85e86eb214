from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Owner")


@_attrs_define
class Owner:
    """
    Attributes:
        subject (str): the client or staff member who owns the subscription
        home_municipality (str): the owner's home municipality
        kind (str): client or staff
        grant_id (None | str): the support grant it was made under, if any
    """

    subject: str
    home_municipality: str
    kind: str
    grant_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        home_municipality = self.home_municipality

        kind = self.kind

        grant_id: None | str
        grant_id = self.grant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subject": subject,
                "home_municipality": home_municipality,
                "kind": kind,
                "grant_id": grant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        subject = d.pop("subject")

        home_municipality = d.pop("home_municipality")

        kind = d.pop("kind")

        def _parse_grant_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        grant_id = _parse_grant_id(d.pop("grant_id"))

        owner = cls(
            subject=subject,
            home_municipality=home_municipality,
            kind=kind,
            grant_id=grant_id,
        )

        owner.additional_properties = d
        return owner

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
