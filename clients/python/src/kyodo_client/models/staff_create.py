from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="StaffCreate")


@_attrs_define
class StaffCreate:
    """
    Attributes:
        login (str): the login, unique in the municipality
        initial_password (str): the first password, to be changed at first login
        roles (list[str]): the staff member's roles, e.g. counter_clerk
    """

    login: str
    initial_password: str
    roles: list[str]

    def to_dict(self) -> dict[str, Any]:
        login = self.login

        initial_password = self.initial_password

        roles = self.roles

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "login": login,
                "initial_password": initial_password,
                "roles": roles,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        login = d.pop("login")

        initial_password = d.pop("initial_password")

        roles = cast(list[str], d.pop("roles"))

        staff_create = cls(
            login=login,
            initial_password=initial_password,
            roles=roles,
        )

        return staff_create
