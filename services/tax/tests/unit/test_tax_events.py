"""The events the bulk writer builds by hand are exactly the public pydantic events."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date

from kyodo_tax_events import TOPIC, TOPICS, TaxAssessed, TaxAssessmentCorrected
from tax_kit import NAGAOKA, R7, RULES

from kyodo_tax.adapters.assessment_store import Assessed, event_data, event_json
from kyodo_tax.domain.assessment import assess
from kyodo_tax.domain.facts import Dependants, Spouse, TaxpayerFacts
from kyodo_tax.domain.instalments import Method
from kyodo_tax.domain.residence import DependantOnJanuaryFirst, Taxpayer
from kyodo_tax.domain.versions import PreviousAssessment, inputs_hash, next_version

TAXPAYER = Taxpayer(platform_person_id=uuid.uuid4(), resident_id=uuid.uuid4(),
                    resident_number="0000000019", birth_date=date(1980, 4, 1),
                    postal_code="9558686", address="新潟県三条市旭町二丁目3番1号")
FACTS = TaxpayerFacts(fiscal_year=R7, salary_revenue=4_000_000, social_insurance=600_000,
                      spouse=Spouse.GENERAL, dependants=Dependants(under_16=2))
TODAY = date(2025, 6, 1)


def _assessed(previous: PreviousAssessment | None = None) -> Assessed:
    outcome = next_version(facts=FACTS, method=Method.SPECIAL, rules=RULES.for_year(R7),
                           config=NAGAOKA, previous=previous, allow_unverified=False,
                           today=TODAY)
    assert outcome is not None
    return Assessed(uuid.uuid4(), TAXPAYER, outcome)


def test_the_hand_built_payload_is_a_valid_tax_assessed() -> None:
    item = _assessed()
    data = event_data(item, municipality_code="152048", assessed_on=TODAY)
    event = TaxAssessed.model_validate_json(json.dumps(data))
    assert event.model_dump(mode="json") == data
    assert json.loads(event_json(item, municipality_code="152048", assessed_on=TODAY)) == data
    assert event.subject == str(TAXPAYER.platform_person_id) and event.topic == TOPIC
    assert event.amounts.total == item.outcome.result.total
    assert event.amounts.dependants == 2 and event.amounts.dependants_under_16 == 2
    assert event.january_first_address == TAXPAYER.address


def test_a_correction_carries_the_difference() -> None:
    first = _assessed()
    previous = PreviousAssessment(id=first.id, version=1, inputs_hash="different",
                                  total=first.outcome.result.total - 12_300,
                                  collection=Method.SPECIAL,
                                  plan_source=lambda: first.outcome.plan)
    item = _assessed(previous)
    data = event_data(item, municipality_code="152048", assessed_on=TODAY)
    event = TaxAssessmentCorrected.model_validate_json(json.dumps(data))
    assert event.model_dump(mode="json") == data
    assert json.loads(event_json(item, municipality_code="152048", assessed_on=TODAY)) == data
    assert (event.version, event.previous_version, event.difference) == (2, 1, 12_300)


def test_no_my_number_travels() -> None:
    fields = set(TaxAssessmentCorrected.model_fields) | {
        f"amounts.{f}" for f in TaxAssessmentCorrected.model_fields["amounts"].annotation
        .model_fields}  # type: ignore[union-attr]
    assert not [f for f in fields if "my_number" in f or "individual_number" in f]
    assert TOPICS == {TOPIC: 6}


def test_unchanged_inputs_make_no_new_version() -> None:
    first = _assessed()
    previous = PreviousAssessment(id=first.id, version=1,
                                  inputs_hash=first.outcome.inputs_hash,
                                  total=first.outcome.result.total, collection=Method.SPECIAL,
                                  plan_source=lambda: first.outcome.plan)
    assert next_version(facts=FACTS, method=Method.SPECIAL, rules=RULES.for_year(R7),
                        config=NAGAOKA, previous=previous, allow_unverified=False,
                        today=TODAY) is None


def test_strings_in_the_hand_written_json_are_quoted() -> None:
    tricky = TAXPAYER._replace(address='三条市"旭町"\\二丁目\n3番1号')
    item = Assessed(uuid.uuid4(), tricky, _assessed().outcome)
    text = event_json(item, municipality_code="152048", assessed_on=TODAY)
    assert json.loads(text) == event_data(item, municipality_code="152048", assessed_on=TODAY)
    assert TaxAssessed.model_validate_json(text).january_first_address == tricky.address


def test_declared_dependants_travel_per_person_with_whether_they_declared() -> None:
    """DOMAIN.md §5: an undeclared dependant's certificate shows ＊; the event says, for each
    spouse or dependant declared by person and registered here on 1 January, which one."""
    wife, son = (DependantOnJanuaryFirst(uuid.uuid4(), uuid.uuid4(), "9558686",
                                         '三条市"旭町"二丁目3番1号', declared)
                 for declared in (False, True))
    item = Assessed(uuid.uuid4(), TAXPAYER, _assessed().outcome, (wife, son))
    data = event_data(item, municipality_code="152048", assessed_on=TODAY)
    event = TaxAssessed.model_validate_json(event_json(item, municipality_code="152048",
                                                       assessed_on=TODAY))
    assert event.model_dump(mode="json") == data
    assert [(p.platform_person_id, p.resident_id, p.declared, p.january_first_address)
            for p in event.dependant_persons] == [
        (wife.platform_person_id, wife.resident_id, False, wife.address),
        (son.platform_person_id, son.resident_id, True, son.address)]
    assert TaxAssessed.model_validate_json(event_json(
        _assessed(), municipality_code="152048", assessed_on=TODAY)).dependant_persons == ()


def test_naming_the_dependants_persons_makes_a_new_version() -> None:
    named = replace(FACTS, dependant_persons=(uuid.uuid4(),))
    rules = RULES.for_year(R7)
    assert inputs_hash(named, NAGAOKA, rules) != inputs_hash(FACTS, NAGAOKA, rules)
    assert assess(named, rules, NAGAOKA) == assess(FACTS, rules, NAGAOKA)
