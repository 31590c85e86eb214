"""住家被害認定調査: one survey of a house, and the rules a survey must follow."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from kyodo_common.errors import InvalidInput
from kyodo_disaster.domain.grades import Grade, InvalidRatio, checked_ratio, grade_for

_SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_PHOTOS = 50


class SurveyKind(StrEnum):
    FIRST = "first"  # 一次調査
    SECOND = "second"  # 二次調査, on appeal (再調査の依頼): a site survey, inside too

    @property
    def code(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> SurveyKind:
        """By its code or its label."""
        return _parse(cls, text)


class Method(StrEnum):
    SITE = "site"  # 現地調査
    SELF = "self"  # 自己判定: from the applicant's photos, clearly under 10 % (DOMAIN §6)

    @property
    def code(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Method:
        """By its code or its label."""
        return _parse(cls, text)


_LABELS: dict[StrEnum, str] = {SurveyKind.FIRST: "一次調査", SurveyKind.SECOND: "二次調査",
                               Method.SITE: "現地調査", Method.SELF: "自己判定"}
E = TypeVar("E", SurveyKind, Method)


def _parse(kind: type[E], text: str) -> E:
    for member in kind:
        if text in (member.value, _LABELS[member]):
            return member
    raise ValueError(text)


@dataclass(frozen=True)
class Photo:
    """A photo's metadata; the image itself stays in the municipality's file store."""

    file_name: str
    taken_at: datetime
    sha256: str


@dataclass(frozen=True)
class SurveyInput:
    kind: SurveyKind
    method: Method
    damage_ratio: Decimal | None
    surveyed_on: date
    photos: tuple[Photo, ...] = ()
    applicant_agrees: bool = False
    appeal_reason: str | None = None
    survey_ref: str | None = None


def check_photos(photos: tuple[Photo, ...]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput("photos", f"at most {MAX_PHOTOS} photos per survey")
    for index, photo in enumerate(photos):
        if not _SHA256.fullmatch(photo.sha256):
            raise InvalidInput(f"photos.{index}.sha256", "64 lower-case hex digits")
        if not photo.file_name.strip() or "/" in photo.file_name or "\\" in photo.file_name:
            raise InvalidInput(f"photos.{index}.file_name", "a file name, not a path")


def assess(survey: SurveyInput, *, occurred_on: date, today: date,
           self_assessment_below: Decimal) -> Grade:
    """The grade this survey gives; InvalidInput names the field that breaks a rule."""
    if survey.surveyed_on < occurred_on:
        raise InvalidInput("surveyed_on", "a house is surveyed after the disaster")
    if survey.surveyed_on > today:
        raise InvalidInput("surveyed_on", "the survey date is in the future")
    check_photos(survey.photos)
    if survey.damage_ratio is None:
        raise InvalidInput("damage_ratio", "the damage ratio (%) is required")
    try:
        ratio = checked_ratio(survey.damage_ratio)
    except InvalidRatio as exc:
        raise InvalidInput("damage_ratio", str(exc)) from None
    if survey.method is Method.SELF:
        _check_self_assessment(survey, ratio, self_assessment_below)
    return grade_for(ratio)


def _check_self_assessment(survey: SurveyInput, ratio: Decimal, below: Decimal) -> None:
    """自己判定: only for a first survey, clearly under the limit, agreed, with photos."""
    if survey.kind is not SurveyKind.FIRST:
        raise InvalidInput("method", "a re-survey on appeal is a site survey (現地調査)")
    if ratio >= below:
        raise InvalidInput("damage_ratio",
                           f"self-assessment only when the damage is clearly under {below} %")
    if not survey.applicant_agrees:
        raise InvalidInput("applicant_agrees",
                           "self-assessment needs the applicant's agreement")
    if not survey.photos:
        raise InvalidInput("photos", "self-assessment is made from photos: attach them")
