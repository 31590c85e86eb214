from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.person_in import PersonIn


T = TypeVar("T", bound="BirthCreate")


@_attrs_define
class BirthCreate:
    """
    Attributes:
        person (PersonIn):
        household_id (UUID): the household the child is born into
        relationship (str | Unset): 続柄 to the head: 子 by default, 子の子 for a grandchild Default: '子'.
        confirm_not_duplicate (bool | Unset): the clerk checked the possible duplicates a 409 listed: this is somebody
            else Default: False.
    """

    person: PersonIn
    household_id: UUID
    relationship: str | Unset = "子"
    confirm_not_duplicate: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        person = self.person.to_dict()

        household_id = str(self.household_id)

        relationship = self.relationship

        confirm_not_duplicate = self.confirm_not_duplicate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "person": person,
                "household_id": household_id,
            }
        )
        if relationship is not UNSET:
            field_dict["relationship"] = relationship
        if confirm_not_duplicate is not UNSET:
            field_dict["confirm_not_duplicate"] = confirm_not_duplicate

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.person_in import PersonIn

        d = dict(src_dict)
        person = PersonIn.from_dict(d.pop("person"))

        household_id = UUID(d.pop("household_id"))

        relationship = d.pop("relationship", UNSET)

        confirm_not_duplicate = d.pop("confirm_not_duplicate", UNSET)

        birth_create = cls(
            person=person,
            household_id=household_id,
            relationship=relationship,
            confirm_not_duplicate=confirm_not_duplicate,
        )

        return birth_create
