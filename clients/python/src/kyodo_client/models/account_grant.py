from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AccountGrant")


@_attrs_define
class AccountGrant:
    """An identity API client made for this scenario; its scopes are what the scenario may do.

    Attributes:
        client_id (str): the identity client made for the scenario
        client_secret (str): its secret (stored encrypted, never shown again)
    """

    client_id: str
    client_secret: str

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_secret = self.client_secret

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "client_id": client_id,
                "client_secret": client_secret,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        client_id = d.pop("client_id")

        client_secret = d.pop("client_secret")

        account_grant = cls(
            client_id=client_id,
            client_secret=client_secret,
        )

        return account_grant
