"""住家被害認定調査: a survey recorded on a house; a re-survey keeps the earlier ones."""

from __future__ import annotations

import uuid
from datetime import date

from kyodo_common.errors import Conflict
from kyodo_disaster.adapters.houses import fingerprint
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.house import House, Regraded
from kyodo_disaster.domain.survey import SurveyInput, assess
from kyodo_disaster.service_layer.common import check_version, disaster_or_404, house_or_404
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.ports import Stores
from kyodo_disaster.service_layer.publishing import publish


def grade_of(survey: SurveyInput, *, disaster: Disaster, context: DisasterContext,
             today: date) -> Grade:
    return assess(survey, occurred_on=disaster.occurred_on, today=today,
                  self_assessment_below=context.rules.self_assessment_below)


async def record_survey(stores: Stores, *, actor: Actor, house_id: uuid.UUID,
                        expected_version: int | None, survey: SurveyInput,
                        context: DisasterContext, today: date) -> tuple[House, Regraded]:
    """Grades the house from this survey; HouseDamageAssessed (or …Reassessed) commits with it."""
    house = await house_or_404(stores.houses, house_id, for_update=True)
    check_version(house.version, expected_version)
    disaster = await disaster_or_404(stores.disasters, house.disaster_id)
    grade = grade_of(survey, disaster=disaster, context=context, today=today)
    if survey.survey_ref and await stores.houses.recorded_refs(disaster.id, [survey.survey_ref]):
        raise Conflict(f"a survey {survey.survey_ref!r} is already recorded for this disaster")
    regraded = house.record_survey(survey, grade, surveyor=actor.subject,
                                   surveyor_home=actor.home, grant_id=actor.grant_id)
    await stores.houses.add_surveys([(regraded.survey, fingerprint(house.address, survey))],
                                    code=stores.municipality_code, disaster_id=disaster.id)
    await stores.houses.save([house])
    await publish(stores, disaster, [(house, regraded)])
    return house, regraded
