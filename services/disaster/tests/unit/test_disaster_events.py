"""The events certificates issues from: the whole assessment, never money, never names."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from kyodo_disaster_events import (
    ALL_EVENTS,
    CertificateRequest,
    DisasterRef,
    HouseDamageAssessed,
    HouseDamageReassessed,
)

from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.house import House
from kyodo_disaster.domain.survey import Method, SurveyInput, SurveyKind
from kyodo_disaster.service_layer.publishing import house_event

REF = DisasterRef(disaster_id=uuid.uuid4(), name="令和6年7月大雨災害", kind="flood",
                  kind_label="水害", occurred_on=date(2024, 7, 10))
FORBIDDEN = ("amount", "yen", "support", "base", "additional", "name_kana", "family_name")


def test_no_event_carries_money_or_names() -> None:
    for event in ALL_EVENTS:
        for field in event.model_fields:
            assert not any(word in field for word in FORBIDDEN), (event.__name__, field)


def test_a_resurvey_publishes_the_new_grade_over_the_old_with_each_change_versioned() -> None:
    occupant = uuid.uuid4()
    house = House(id=uuid.uuid4(), disaster_id=REF.disaster_id, postal_code="9558686",
                  address="新潟県三条市旭町二丁目3番1号", occupant_ids=[occupant], version=1)
    first = house.record_survey(
        SurveyInput(kind=SurveyKind.FIRST, method=Method.SITE, damage_ratio=Decimal("35"),
                    surveyed_on=date(2024, 7, 12)),
        Grade.MEDIUM_SCALE_HALF, surveyor="s", surveyor_home="152021", grant_id="g")
    second = house.record_survey(
        SurveyInput(kind=SurveyKind.SECOND, method=Method.SITE, damage_ratio=Decimal("51"),
                    surveyed_on=date(2024, 7, 20)),
        Grade.TOTAL, surveyor="s", surveyor_home="152048", grant_id=None)
    request = CertificateRequest(application_id=uuid.uuid4(), applicant_resident_id=occupant,
                                 copies=2)
    events = [house_event(house, r, disaster=REF, code="152048", requests=[request],
                          householder=occupant) for r in (first, second)]
    assert type(events[0]) is HouseDamageAssessed
    assert isinstance(events[1], HouseDamageReassessed)
    assert [(e.version, e.survey_version, e.grade) for e in events] == [
        (2, 1, "中規模半壊"), (3, 2, "全壊")]
    assert (events[1].previous_grade, events[1].previous_survey_version) == ("中規模半壊", 1)
    assert events[0].surveyed_on == date(2024, 7, 12), "each event tells its own survey"
    assert events[1].certificate_requested and events[1].applicant_resident_id == occupant
    assert events[1].subject == str(house.id)
