from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.held_grant import HeldGrant


T = TypeVar("T", bound="Me")


@_attrs_define
class Me:
    """
    Attributes:
        subject (str): The staff member's subject (their login's id)
        home_municipality (str): The code of the municipality that employs them (全国地方公共団体コード)
        home_name (str): That municipality's name, e.g. 長岡市
        roles (list[str]): Their roles at home
        scopes (list[str]): The scopes their roles give at home
        grants (list[HeldGrant]): The support grants in force that lend them rights elsewhere, soonest ending first
    """

    subject: str
    home_municipality: str
    home_name: str
    roles: list[str]
    scopes: list[str]
    grants: list[HeldGrant]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        home_municipality = self.home_municipality

        home_name = self.home_name

        roles = self.roles

        scopes = self.scopes

        grants = []
        for grants_item_data in self.grants:
            grants_item = grants_item_data.to_dict()
            grants.append(grants_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subject": subject,
                "home_municipality": home_municipality,
                "home_name": home_name,
                "roles": roles,
                "scopes": scopes,
                "grants": grants,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.held_grant import HeldGrant

        d = dict(src_dict)
        subject = d.pop("subject")

        home_municipality = d.pop("home_municipality")

        home_name = d.pop("home_name")

        roles = cast(list[str], d.pop("roles"))

        scopes = cast(list[str], d.pop("scopes"))

        grants = []
        _grants = d.pop("grants")
        for grants_item_data in _grants:
            grants_item = HeldGrant.from_dict(grants_item_data)

            grants.append(grants_item)

        me = cls(
            subject=subject,
            home_municipality=home_municipality,
            home_name=home_name,
            roles=roles,
            scopes=scopes,
            grants=grants,
        )

        me.additional_properties = d
        return me

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
