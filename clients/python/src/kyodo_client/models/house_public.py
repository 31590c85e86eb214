from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.grade_out import GradeOut
    from ..models.survey_public import SurveyPublic


T = TypeVar("T", bound="HousePublic")


@_attrs_define
class HousePublic:
    """
    Attributes:
        id (UUID): the house's id
        disaster_id (UUID): the disaster's (災害) id
        postal_code (str): the house's postal code
        address (str): the house's address
        occupant_ids (list[UUID]): the resident ids of the people registered as living in the house
        grade (GradeOut | None): the latest damage grade; null before a survey
        damage_ratio (None | str): 損害割合 of the latest survey (percent)
        surveyed_on (datetime.date | None): the date of the latest survey
        survey_version (int): the latest survey's version (0 before a survey)
        version (int): the record's version, incremented on every change; its ETag is W/"<version>"
        surveys (list[SurveyPublic] | None | Unset): every survey, oldest first (when asked for)
    """

    id: UUID
    disaster_id: UUID
    postal_code: str
    address: str
    occupant_ids: list[UUID]
    grade: GradeOut | None
    damage_ratio: None | str
    surveyed_on: datetime.date | None
    survey_version: int
    version: int
    surveys: list[SurveyPublic] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.grade_out import GradeOut

        id = str(self.id)

        disaster_id = str(self.disaster_id)

        postal_code = self.postal_code

        address = self.address

        occupant_ids = []
        for occupant_ids_item_data in self.occupant_ids:
            occupant_ids_item = str(occupant_ids_item_data)
            occupant_ids.append(occupant_ids_item)

        grade: dict[str, Any] | None
        if isinstance(self.grade, GradeOut):
            grade = self.grade.to_dict()
        else:
            grade = self.grade

        damage_ratio: None | str
        damage_ratio = self.damage_ratio

        surveyed_on: None | str
        if isinstance(self.surveyed_on, datetime.date):
            surveyed_on = self.surveyed_on.isoformat()
        else:
            surveyed_on = self.surveyed_on

        survey_version = self.survey_version

        version = self.version

        surveys: list[dict[str, Any]] | None | Unset
        if isinstance(self.surveys, Unset):
            surveys = UNSET
        elif isinstance(self.surveys, list):
            surveys = []
            for surveys_type_0_item_data in self.surveys:
                surveys_type_0_item = surveys_type_0_item_data.to_dict()
                surveys.append(surveys_type_0_item)

        else:
            surveys = self.surveys

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "disaster_id": disaster_id,
                "postal_code": postal_code,
                "address": address,
                "occupant_ids": occupant_ids,
                "grade": grade,
                "damage_ratio": damage_ratio,
                "surveyed_on": surveyed_on,
                "survey_version": survey_version,
                "version": version,
            }
        )
        if surveys is not UNSET:
            field_dict["surveys"] = surveys

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.grade_out import GradeOut
        from ..models.survey_public import SurveyPublic

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        disaster_id = UUID(d.pop("disaster_id"))

        postal_code = d.pop("postal_code")

        address = d.pop("address")

        occupant_ids = []
        _occupant_ids = d.pop("occupant_ids")
        for occupant_ids_item_data in _occupant_ids:
            occupant_ids_item = UUID(occupant_ids_item_data)

            occupant_ids.append(occupant_ids_item)

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

        def _parse_damage_ratio(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        damage_ratio = _parse_damage_ratio(d.pop("damage_ratio"))

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

        survey_version = d.pop("survey_version")

        version = d.pop("version")

        def _parse_surveys(data: object) -> list[SurveyPublic] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                surveys_type_0 = []
                _surveys_type_0 = data
                for surveys_type_0_item_data in _surveys_type_0:
                    surveys_type_0_item = SurveyPublic.from_dict(
                        surveys_type_0_item_data
                    )

                    surveys_type_0.append(surveys_type_0_item)

                return surveys_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SurveyPublic] | None | Unset, data)

        surveys = _parse_surveys(d.pop("surveys", UNSET))

        house_public = cls(
            id=id,
            disaster_id=disaster_id,
            postal_code=postal_code,
            address=address,
            occupant_ids=occupant_ids,
            grade=grade,
            damage_ratio=damage_ratio,
            surveyed_on=surveyed_on,
            survey_version=survey_version,
            version=version,
            surveys=surveys,
        )

        house_public.additional_properties = d
        return house_public

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
