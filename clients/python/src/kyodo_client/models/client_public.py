from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.secret_info import SecretInfo


T = TypeVar("T", bound="ClientPublic")


@_attrs_define
class ClientPublic:
    """
    Attributes:
        client_id (str): the OAuth client id
        municipality_code (str): the municipality's 6-digit local government code (全国地方公共団体コード)
        name (str): what the partner system is, for people
        scopes (list[str]): the scopes the client may ask for
        created_at (datetime.datetime): when the client was registered
        revoked_at (datetime.datetime | None): when the client was revoked; null while active
        secrets (list[SecretInfo]): the client's current secrets (never their values)
    """

    client_id: str
    municipality_code: str
    name: str
    scopes: list[str]
    created_at: datetime.datetime
    revoked_at: datetime.datetime | None
    secrets: list[SecretInfo]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        municipality_code = self.municipality_code

        name = self.name

        scopes = self.scopes

        created_at = self.created_at.isoformat()

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        secrets = []
        for secrets_item_data in self.secrets:
            secrets_item = secrets_item_data.to_dict()
            secrets.append(secrets_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "municipality_code": municipality_code,
                "name": name,
                "scopes": scopes,
                "created_at": created_at,
                "revoked_at": revoked_at,
                "secrets": secrets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.secret_info import SecretInfo

        d = dict(src_dict)
        client_id = d.pop("client_id")

        municipality_code = d.pop("municipality_code")

        name = d.pop("name")

        scopes = cast(list[str], d.pop("scopes"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        secrets = []
        _secrets = d.pop("secrets")
        for secrets_item_data in _secrets:
            secrets_item = SecretInfo.from_dict(secrets_item_data)

            secrets.append(secrets_item)

        client_public = cls(
            client_id=client_id,
            municipality_code=municipality_code,
            name=name,
            scopes=scopes,
            created_at=created_at,
            revoked_at=revoked_at,
            secrets=secrets,
        )

        client_public.additional_properties = d
        return client_public

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
