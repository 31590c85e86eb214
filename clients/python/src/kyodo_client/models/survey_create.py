from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.photo_in import PhotoIn


T = TypeVar("T", bound="SurveyCreate")


@_attrs_define
class SurveyCreate:
    """一次調査, 二次調査 (on appeal), or 自己判定 from photos when clearly under 10 %.

    Attributes:
        kind (str): first (一次調査) or second (二次調査, on appeal)
        damage_ratio (float | str): 損害割合 in percent
        surveyed_on (datetime.date): the date of the survey
        method (str | Unset): site (現地調査) or self (自己判定, from photos, when clearly under 10 %) Default: 'site'.
        photos (list[PhotoIn] | Unset): the photos' metadata
        applicant_agrees (bool | Unset): 自己判定: the applicant agrees Default: False.
        appeal_reason (None | str | Unset): for a second survey: the applicant's reason (再調査依頼)
        survey_ref (None | str | Unset): the field survey sheet's number
    """

    kind: str
    damage_ratio: float | str
    surveyed_on: datetime.date
    method: str | Unset = "site"
    photos: list[PhotoIn] | Unset = UNSET
    applicant_agrees: bool | Unset = False
    appeal_reason: None | str | Unset = UNSET
    survey_ref: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        damage_ratio: float | str
        damage_ratio = self.damage_ratio

        surveyed_on = self.surveyed_on.isoformat()

        method = self.method

        photos: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.photos, Unset):
            photos = []
            for photos_item_data in self.photos:
                photos_item = photos_item_data.to_dict()
                photos.append(photos_item)

        applicant_agrees = self.applicant_agrees

        appeal_reason: None | str | Unset
        if isinstance(self.appeal_reason, Unset):
            appeal_reason = UNSET
        else:
            appeal_reason = self.appeal_reason

        survey_ref: None | str | Unset
        if isinstance(self.survey_ref, Unset):
            survey_ref = UNSET
        else:
            survey_ref = self.survey_ref

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "damage_ratio": damage_ratio,
                "surveyed_on": surveyed_on,
            }
        )
        if method is not UNSET:
            field_dict["method"] = method
        if photos is not UNSET:
            field_dict["photos"] = photos
        if applicant_agrees is not UNSET:
            field_dict["applicant_agrees"] = applicant_agrees
        if appeal_reason is not UNSET:
            field_dict["appeal_reason"] = appeal_reason
        if survey_ref is not UNSET:
            field_dict["survey_ref"] = survey_ref

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.photo_in import PhotoIn

        d = dict(src_dict)
        kind = d.pop("kind")

        def _parse_damage_ratio(data: object) -> float | str:
            return cast(float | str, data)

        damage_ratio = _parse_damage_ratio(d.pop("damage_ratio"))

        surveyed_on = datetime.date.fromisoformat(d.pop("surveyed_on"))

        method = d.pop("method", UNSET)

        _photos = d.pop("photos", UNSET)
        photos: list[PhotoIn] | Unset = UNSET
        if _photos is not UNSET:
            photos = []
            for photos_item_data in _photos:
                photos_item = PhotoIn.from_dict(photos_item_data)

                photos.append(photos_item)

        applicant_agrees = d.pop("applicant_agrees", UNSET)

        def _parse_appeal_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        appeal_reason = _parse_appeal_reason(d.pop("appeal_reason", UNSET))

        def _parse_survey_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        survey_ref = _parse_survey_ref(d.pop("survey_ref", UNSET))

        survey_create = cls(
            kind=kind,
            damage_ratio=damage_ratio,
            surveyed_on=surveyed_on,
            method=method,
            photos=photos,
            applicant_agrees=applicant_agrees,
            appeal_reason=appeal_reason,
            survey_ref=survey_ref,
        )

        return survey_create
