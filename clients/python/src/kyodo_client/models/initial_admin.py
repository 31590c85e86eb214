from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="InitialAdmin")


@_attrs_define
class InitialAdmin:
    """
    Attributes:
        login (str): the first administrator's login
        initial_password (str): the administrator's first password, to be changed at first login
    """

    login: str
    initial_password: str

    def to_dict(self) -> dict[str, Any]:
        login = self.login

        initial_password = self.initial_password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "login": login,
                "initial_password": initial_password,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        login = d.pop("login")

        initial_password = d.pop("initial_password")

        initial_admin = cls(
            login=login,
            initial_password=initial_password,
        )

        return initial_admin
