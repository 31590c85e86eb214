from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.grade_out import GradeOut
    from ..models.person import Person
    from ..models.support_out import SupportOut


T = TypeVar("T", bound="LedgerEntryPublic")


@_attrs_define
class LedgerEntryPublic:
    """
    Attributes:
        house_id (UUID): the damaged house's id in the ledger of damaged houses (被災住家台帳)
        address (str): the house's address
        grade (GradeOut | None): the house's damage grade
        survey_version (int): the version of the house's damage survey (1 = the first survey)
        surveyed_on (datetime.date | None): the date of the latest survey
        household_id (None | UUID): the victims' household
        household_size (int): the number of members
        head_resident_id (None | UUID): the 世帯主
        members (list[Person]): the household's members as the ledger shows them
        support (SupportOut): 被災者生活再建支援金 (yen): None where an unverified rule would decide the amount.
    """

    house_id: UUID
    address: str
    grade: GradeOut | None
    survey_version: int
    surveyed_on: datetime.date | None
    household_id: None | UUID
    household_size: int
    head_resident_id: None | UUID
    members: list[Person]
    support: SupportOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.grade_out import GradeOut

        house_id = str(self.house_id)

        address = self.address

        grade: dict[str, Any] | None
        if isinstance(self.grade, GradeOut):
            grade = self.grade.to_dict()
        else:
            grade = self.grade

        survey_version = self.survey_version

        surveyed_on: None | str
        if isinstance(self.surveyed_on, datetime.date):
            surveyed_on = self.surveyed_on.isoformat()
        else:
            surveyed_on = self.surveyed_on

        household_id: None | str
        if isinstance(self.household_id, UUID):
            household_id = str(self.household_id)
        else:
            household_id = self.household_id

        household_size = self.household_size

        head_resident_id: None | str
        if isinstance(self.head_resident_id, UUID):
            head_resident_id = str(self.head_resident_id)
        else:
            head_resident_id = self.head_resident_id

        members = []
        for members_item_data in self.members:
            members_item = members_item_data.to_dict()
            members.append(members_item)

        support = self.support.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "house_id": house_id,
                "address": address,
                "grade": grade,
                "survey_version": survey_version,
                "surveyed_on": surveyed_on,
                "household_id": household_id,
                "household_size": household_size,
                "head_resident_id": head_resident_id,
                "members": members,
                "support": support,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.grade_out import GradeOut
        from ..models.person import Person
        from ..models.support_out import SupportOut

        d = dict(src_dict)
        house_id = UUID(d.pop("house_id"))

        address = d.pop("address")

        def _parse_grade(data: object) -> GradeOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                grade_type_0 = GradeOut.from_dict(data)

                return grade_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GradeOut | None, data)

        grade = _parse_grade(d.pop("grade"))

        survey_version = d.pop("survey_version")

        def _parse_surveyed_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                surveyed_on_type_0 = datetime.date.fromisoformat(data)

                return surveyed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        surveyed_on = _parse_surveyed_on(d.pop("surveyed_on"))

        def _parse_household_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                household_id_type_0 = UUID(data)

                return household_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        household_id = _parse_household_id(d.pop("household_id"))

        household_size = d.pop("household_size")

        def _parse_head_resident_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                head_resident_id_type_0 = UUID(data)

                return head_resident_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        head_resident_id = _parse_head_resident_id(d.pop("head_resident_id"))

        members = []
        _members = d.pop("members")
        for members_item_data in _members:
            members_item = Person.from_dict(members_item_data)

            members.append(members_item)

        support = SupportOut.from_dict(d.pop("support"))

        ledger_entry_public = cls(
            house_id=house_id,
            address=address,
            grade=grade,
            survey_version=survey_version,
            surveyed_on=surveyed_on,
            household_id=household_id,
            household_size=household_size,
            head_resident_id=head_resident_id,
            members=members,
            support=support,
        )

        ledger_entry_public.additional_properties = d
        return ledger_entry_public

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
