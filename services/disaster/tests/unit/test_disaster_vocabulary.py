"""One naming inside: the grades, survey kinds and methods are str enums whose value is the
code the API and the events carry (like DisasterKind); the label is what a certificate
prints, and either reads back."""

from __future__ import annotations

import pytest

from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.survey import Method, SurveyKind


@pytest.mark.parametrize(("member", "code", "label"), [
    (Grade.TOTAL, "total", "全壊"),
    (Grade.PARTIAL, "partial", "準半壊に至らない（一部損壊）"),
    (SurveyKind.SECOND, "second", "二次調査"),
    (Method.SELF, "self", "自己判定"),
])
def test_a_member_is_its_code_and_has_its_label(member: Grade | SurveyKind | Method, code: str,
                                                 label: str) -> None:
    assert member == code and isinstance(member, str) and member.code == code
    assert type(member)(code) is member and member.label == label


def test_codes_and_labels_read_back() -> None:
    assert Grade.from_code("quasi_half") is Grade.QUASI_HALF
    assert SurveyKind.parse("一次調査") is SurveyKind.parse("first") is SurveyKind.FIRST
    assert Method.parse("現地調査") is Method.parse("site") is Method.SITE
    for unknown in ("", "second_survey"):
        with pytest.raises(ValueError):
            SurveyKind.parse(unknown)
    with pytest.raises(ValueError, match="unknown grade"):
        Grade.from_code("destroyed")
