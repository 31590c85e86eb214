"""被災住家: a damaged house in the ledger, with its survey history (versions, never rewritten)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kyodo_common.errors import InvalidInput
from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.survey import Method, SurveyInput, SurveyKind


@dataclass(frozen=True)
class SurveyRecord:
    """One survey as recorded: who surveyed, when, and the grade it gave."""

    id: uuid.UUID
    house_id: uuid.UUID
    version: int
    input: SurveyInput
    grade: Grade
    surveyor: str
    surveyor_home: str
    grant_id: str | None


@dataclass(frozen=True)
class Regraded:
    """What a survey changed: the first grade, or a re-survey's new grade over the old one."""

    survey: SurveyRecord
    house_version: int  # the house's version right after this survey
    previous_grade: Grade | None
    previous_survey_version: int | None

    @property
    def is_reassessment(self) -> bool:
        return self.previous_grade is not None


@dataclass
class House:
    id: uuid.UUID
    disaster_id: uuid.UUID
    postal_code: str
    address: str
    occupant_ids: list[uuid.UUID]
    version: int
    survey_version: int = 0
    grade: Grade | None = None
    damage_ratio: Decimal | None = None
    surveyed_on: date | None = None
    survey_kind: SurveyKind | None = None
    method: Method | None = None
    changed: bool = field(default=False, compare=False)

    def record_survey(self, survey: SurveyInput, grade: Grade, *, surveyor: str,
                      surveyor_home: str, grant_id: str | None) -> Regraded:
        """一次調査 first; after it only 二次調査 (on appeal), each one a new version."""
        if self.survey_version == 0 and survey.kind is not SurveyKind.FIRST:
            raise InvalidInput("kind", "the house has no survey yet: the first is 一次調査")
        if self.survey_version > 0 and survey.kind is SurveyKind.FIRST:
            raise InvalidInput("kind", "the house was surveyed: a re-survey is 二次調査")
        previous = (self.grade, self.survey_version) if self.survey_version else (None, None)
        self.survey_version += 1
        record = SurveyRecord(id=uuid.uuid4(), house_id=self.id, version=self.survey_version,
                              input=survey, grade=grade, surveyor=surveyor,
                              surveyor_home=surveyor_home, grant_id=grant_id)
        self.grade, self.damage_ratio = grade, survey.damage_ratio
        self.surveyed_on, self.survey_kind = survey.surveyed_on, survey.kind
        self.method = survey.method
        self.touch()
        return Regraded(survey=record, house_version=self.version, previous_grade=previous[0],
                        previous_survey_version=previous[1])

    def touch(self) -> None:
        """Each published change gets its own version: consumers keep the highest they saw."""
        self.version += 1
        self.changed = True
