from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.client_public import ClientPublic


T = TypeVar("T", bound="ClientCreated")


@_attrs_define
class ClientCreated:
    """
    Attributes:
        client_id (str): the OAuth client id
        client_secret (None | str): the client secret: shown once, only in this answer
        client (ClientPublic):
    """

    client_id: str
    client_secret: None | str
    client: ClientPublic
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_secret: None | str
        client_secret = self.client_secret

        client = self.client.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "client": client,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.client_public import ClientPublic

        d = dict(src_dict)
        client_id = d.pop("client_id")

        def _parse_client_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_secret = _parse_client_secret(d.pop("client_secret"))

        client = ClientPublic.from_dict(d.pop("client"))

        client_created = cls(
            client_id=client_id,
            client_secret=client_secret,
            client=client,
        )

        client_created.additional_properties = d
        return client_created

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
