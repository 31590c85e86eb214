from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SecretRotated")


@_attrs_define
class SecretRotated:
    """
    Attributes:
        client_id (str): the OAuth client id
        client_secret (None | str): the new secret: shown once, only in this answer
        previous_secrets_valid_until (datetime.datetime | None): until when the previous secrets keep working, to roll
            the change out
    """

    client_id: str
    client_secret: None | str
    previous_secrets_valid_until: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        client_secret: None | str
        client_secret = self.client_secret

        previous_secrets_valid_until: None | str
        if isinstance(self.previous_secrets_valid_until, datetime.datetime):
            previous_secrets_valid_until = self.previous_secrets_valid_until.isoformat()
        else:
            previous_secrets_valid_until = self.previous_secrets_valid_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "previous_secrets_valid_until": previous_secrets_valid_until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        client_id = d.pop("client_id")

        def _parse_client_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_secret = _parse_client_secret(d.pop("client_secret"))

        def _parse_previous_secrets_valid_until(
            data: object,
        ) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_secrets_valid_until_type_0 = datetime.datetime.fromisoformat(
                    data
                )

                return previous_secrets_valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        previous_secrets_valid_until = _parse_previous_secrets_valid_until(
            d.pop("previous_secrets_valid_until")
        )

        secret_rotated = cls(
            client_id=client_id,
            client_secret=client_secret,
            previous_secrets_valid_until=previous_secrets_valid_until,
        )

        secret_rotated.additional_properties = d
        return secret_rotated

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
