"""Surveys: 自己判定 only clearly under 10 % with agreement and photos; re-surveys keep history."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from kyodo_common.errors import InvalidInput
from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.house import House
from kyodo_disaster.domain.survey import Method, Photo, SurveyInput, SurveyKind, assess

OCCURRED, TODAY = date(2024, 7, 10), date(2024, 7, 20)
PHOTO = Photo(file_name="roof.jpg", taken_at=datetime(2024, 7, 11, tzinfo=UTC), sha256="a" * 64)


def survey(ratio: str = "25", kind: SurveyKind = SurveyKind.FIRST,
           method: Method = Method.SITE, **changes: Any) -> SurveyInput:
    base = SurveyInput(kind=kind, method=method, damage_ratio=Decimal(ratio),
                       surveyed_on=TODAY)
    return replace(base, **changes)


def _assess(s: SurveyInput) -> Grade:
    return assess(s, occurred_on=OCCURRED, today=TODAY, self_assessment_below=Decimal("10"))


def test_self_assessment_under_ten_percent_with_agreement_and_photos_is_partial() -> None:
    s = survey("5", method=Method.SELF, applicant_agrees=True, photos=(PHOTO,))
    assert _assess(s) is Grade.PARTIAL


@pytest.mark.parametrize(("changes", "field"), [
    ({"damage_ratio": Decimal("10")}, "damage_ratio"),
    ({"damage_ratio": Decimal("12.5")}, "damage_ratio"),
    ({"applicant_agrees": False}, "applicant_agrees"),
    ({"photos": ()}, "photos"),
    ({"kind": SurveyKind.SECOND}, "method"),
], ids=["at-ten", "above-ten", "no-agreement", "no-photos", "on-appeal"])
def test_self_assessment_is_refused_outside_its_rule(changes: dict[str, Any],
                                                     field: str) -> None:
    values: dict[str, Any] = {"damage_ratio": Decimal("5"), "applicant_agrees": True,
                                 "photos": (PHOTO,), **changes}
    with pytest.raises(InvalidInput) as refused:
        _assess(survey(method=Method.SELF, **values))
    assert refused.value.invalid_params[0]["name"] == field


@pytest.mark.parametrize(("changes", "field"), [
    ({"surveyed_on": date(2024, 7, 9)}, "surveyed_on"),
    ({"surveyed_on": date(2024, 7, 21)}, "surveyed_on"),
    ({"damage_ratio": None}, "damage_ratio"),
    ({"damage_ratio": Decimal("100.5")}, "damage_ratio"),
    ({"photos": (Photo("a/b.jpg", PHOTO.taken_at, "a" * 64),)}, "photos.0.file_name"),
    ({"photos": (Photo("b.jpg", PHOTO.taken_at, "xyz"),)}, "photos.0.sha256"),
])
def test_site_surveys_need_a_date_after_the_disaster_a_ratio_and_clean_photos(
    changes: dict[str, Any], field: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _assess(survey(**changes))
    assert refused.value.invalid_params[0]["name"] == field


def _house() -> House:
    return House(id=uuid.uuid4(), disaster_id=uuid.uuid4(), postal_code="9558686",
                 address="新潟県三条市旭町二丁目3番1号", occupant_ids=[], version=1)


def test_a_resurvey_on_appeal_is_a_new_version_over_the_first() -> None:
    house = _house()
    first = house.record_survey(survey("35"), Grade.MEDIUM_SCALE_HALF, surveyor="s",
                                surveyor_home="152021", grant_id="g-1")
    assert (first.survey.version, first.house_version, first.is_reassessment) == (1, 2, False)
    second = house.record_survey(survey("42", SurveyKind.SECOND), Grade.LARGE_SCALE_HALF,
                                 surveyor="t", surveyor_home="152048", grant_id=None)
    assert second.is_reassessment and second.previous_grade is Grade.MEDIUM_SCALE_HALF
    assert (second.survey.version, second.previous_survey_version) == (2, 1)
    assert (house.grade, house.survey_version, house.version) == (Grade.LARGE_SCALE_HALF, 2, 3)
    assert first.survey.grade is Grade.MEDIUM_SCALE_HALF, "the first survey is kept as it was"


def test_the_first_survey_is_primary_and_later_ones_are_secondary() -> None:
    house = _house()
    with pytest.raises(InvalidInput, match="一次調査"):
        house.record_survey(survey(kind=SurveyKind.SECOND), Grade.HALF, surveyor="s",
                            surveyor_home="152048", grant_id=None)
    house.record_survey(survey(), Grade.HALF, surveyor="s", surveyor_home="152048",
                        grant_id=None)
    with pytest.raises(InvalidInput, match="二次調査"):
        house.record_survey(survey(), Grade.HALF, surveyor="s", surveyor_home="152048",
                            grant_id=None)
    assert house.survey_version == 1 and house.version == 2, "a refused survey changes nothing"
