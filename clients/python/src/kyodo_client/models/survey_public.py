from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.grade_out import GradeOut
    from ..models.survey_public_photos_item import SurveyPublicPhotosItem


T = TypeVar("T", bound="SurveyPublic")


@_attrs_define
class SurveyPublic:
    """
    Attributes:
        version (int): the survey's version (1 = first)
        kind (str): first (一次調査) or second (二次調査)
        method (str): site (現地調査) or self (自己判定)
        damage_ratio (str): 損害割合 (damage ratio): the economic share of the house lost, 0–100 %
        grade (GradeOut):
        surveyed_on (datetime.date): the date of the survey
        surveyor (str): who surveyed (login)
        surveyor_home (str): the surveyor's home municipality (differs under a support grant)
        grant_id (None | str): the support grant (支援の権限付与) the actor acted under; null when acting for their own
            municipality
        survey_ref (None | str): the reference of an imported field survey
        appeal_reason (None | str): the applicant's reason for a second survey
        applicant_agrees (bool): the applicant agreed to 自己判定
        photos (list[SurveyPublicPhotosItem]): the photos' metadata
        recorded_at (datetime.datetime | None): when the survey was recorded
    """

    version: int
    kind: str
    method: str
    damage_ratio: str
    grade: GradeOut
    surveyed_on: datetime.date
    surveyor: str
    surveyor_home: str
    grant_id: None | str
    survey_ref: None | str
    appeal_reason: None | str
    applicant_agrees: bool
    photos: list[SurveyPublicPhotosItem]
    recorded_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        kind = self.kind

        method = self.method

        damage_ratio = self.damage_ratio

        grade = self.grade.to_dict()

        surveyed_on = self.surveyed_on.isoformat()

        surveyor = self.surveyor

        surveyor_home = self.surveyor_home

        grant_id: None | str
        grant_id = self.grant_id

        survey_ref: None | str
        survey_ref = self.survey_ref

        appeal_reason: None | str
        appeal_reason = self.appeal_reason

        applicant_agrees = self.applicant_agrees

        photos = []
        for photos_item_data in self.photos:
            photos_item = photos_item_data.to_dict()
            photos.append(photos_item)

        recorded_at: None | str
        if isinstance(self.recorded_at, datetime.datetime):
            recorded_at = self.recorded_at.isoformat()
        else:
            recorded_at = self.recorded_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "kind": kind,
                "method": method,
                "damage_ratio": damage_ratio,
                "grade": grade,
                "surveyed_on": surveyed_on,
                "surveyor": surveyor,
                "surveyor_home": surveyor_home,
                "grant_id": grant_id,
                "survey_ref": survey_ref,
                "appeal_reason": appeal_reason,
                "applicant_agrees": applicant_agrees,
                "photos": photos,
                "recorded_at": recorded_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.grade_out import GradeOut
        from ..models.survey_public_photos_item import SurveyPublicPhotosItem

        d = dict(src_dict)
        version = d.pop("version")

        kind = d.pop("kind")

        method = d.pop("method")

        damage_ratio = d.pop("damage_ratio")

        grade = GradeOut.from_dict(d.pop("grade"))

        surveyed_on = datetime.date.fromisoformat(d.pop("surveyed_on"))

        surveyor = d.pop("surveyor")

        surveyor_home = d.pop("surveyor_home")

        def _parse_grant_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        grant_id = _parse_grant_id(d.pop("grant_id"))

        def _parse_survey_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        survey_ref = _parse_survey_ref(d.pop("survey_ref"))

        def _parse_appeal_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        appeal_reason = _parse_appeal_reason(d.pop("appeal_reason"))

        applicant_agrees = d.pop("applicant_agrees")

        photos = []
        _photos = d.pop("photos")
        for photos_item_data in _photos:
            photos_item = SurveyPublicPhotosItem.from_dict(photos_item_data)

            photos.append(photos_item)

        def _parse_recorded_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                recorded_at_type_0 = datetime.datetime.fromisoformat(data)

                return recorded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        recorded_at = _parse_recorded_at(d.pop("recorded_at"))

        survey_public = cls(
            version=version,
            kind=kind,
            method=method,
            damage_ratio=damage_ratio,
            grade=grade,
            surveyed_on=surveyed_on,
            surveyor=surveyor,
            surveyor_home=surveyor_home,
            grant_id=grant_id,
            survey_ref=survey_ref,
            appeal_reason=appeal_reason,
            applicant_agrees=applicant_agrees,
            photos=photos,
            recorded_at=recorded_at,
        )

        survey_public.additional_properties = d
        return survey_public

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
