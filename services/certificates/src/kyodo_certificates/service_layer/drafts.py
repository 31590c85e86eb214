"""Drafts: what each kind of certificate will print, decided from the read models and rules.

A draft is composed in the first, short transaction of an issuance; numbers and codes are
added per copy afterwards.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from kyodo_certificates.domain import rules
from kyodo_certificates.domain.damage import damage_document
from kyodo_certificates.domain.damage_report import (
    DamagedProperty,
    DamageReport,
    damage_report_document,
)
from kyodo_certificates.domain.document import Document
from kyodo_certificates.domain.kinds import Item, Layout
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.domain.residence import (
    ResidenceRequest,
    printed_fields,
    residence_document,
)
from kyodo_certificates.domain.tax import tax_document
from kyodo_certificates.service_layer.my_numbers import MyNumbers
from kyodo_certificates.service_layer.ports import DraftReads
from kyodo_common import privacy
from kyodo_common.errors import DomainError, InvalidInput, NotFound


class NotAssessed(NotFound):
    """No assessment of that fiscal year has reached the certificates service (yet)."""

    title, kind = "Not assessed", "not-assessed"

    def __init__(self, fiscal_year: int) -> None:
        DomainError.__init__(self, f"no assessment for fiscal year {fiscal_year} yet (a "
                                   "year's certificates are available from early June)",
                             invalid_params=[{"name": "fiscal_year", "reason": "not assessed"}])


@dataclass(frozen=True)
class Draft:
    document: Document
    subject_type: str  # resident | damage_assessment
    subject_ids: tuple[UUID, ...]
    fields: tuple[str, ...]  # what the access log records as printed
    assessment_id: UUID | None = None  # 罹災証明書: the house, voided on a re-survey


# (the store of the drafting transaction, the municipality, the day) → the draft
Compose = Callable[[DraftReads, Municipality, date], Awaitable[Draft]]


async def _person(store: DraftReads, resident_id: UUID, field: str) -> Registered:
    person = await store.resident(resident_id)
    if person is None:
        raise NotFound("resident")
    return person


@dataclass(frozen=True)
class ResidenceDraft:
    """住民票の写し of one person (個人票) or of a household (世帯連記式, all or chosen members)."""

    layout: Layout
    resident_id: UUID
    members: tuple[UUID, ...] | None
    items: frozenset[Item]
    applicant: UUID | None
    my_numbers: MyNumbers

    async def __call__(self, store: DraftReads, town: Municipality, today: date) -> Draft:
        person, household = await store.with_household(self.resident_id)
        if person is None:
            raise NotFound("resident")
        rules.require_resident(person, "resident_id")
        household = household or [person]
        head = next((m for m in household if m.relationship == "世帯主"), None)
        persons, whole = self._persons(person, household)
        field = "members" if self.layout is Layout.HOUSEHOLD else "resident_id"
        rules.refuse_protected(persons, applicant=self.applicant, field=field)
        if (self.layout is Layout.HOUSEHOLD and person.household_id is not None
                and not privacy.sees_protected()
                and await store.household_has_protected_member(person.household_id)):
            # Row-level security left a protected member out of the household: a certificate
            # without them would be false, and with them is not for this caller.
            rules.refuse_protected_unseen(field)
        numbers = None
        if Item.MY_NUMBER in self.items:
            numbers = await self.my_numbers.numbers_for(persons, applicant=self.applicant,
                                                        household=household)
        request = ResidenceRequest(layout=self.layout, persons=persons, head=head,
                                   items=self.items, whole_household=whole,
                                   my_numbers=numbers)
        document = residence_document(request, municipality=town, issued_on=today)
        return Draft(document, "resident", tuple(p.resident_id for p in persons),
                     tuple(printed_fields(request)))

    def _persons(self, person: Registered,
                 household: list[Registered]) -> tuple[list[Registered], bool]:
        if self.layout is Layout.INDIVIDUAL:
            return [person], False
        if self.members is None:
            return household, True
        by_id = {m.resident_id: m for m in household}
        unknown = [m for m in self.members if m not in by_id]
        if unknown:
            raise InvalidInput("members", "every member must be a current resident of the "
                                          "same household as resident_id")
        chosen = set(self.members)
        persons = [m for m in household if m.resident_id in chosen]
        return persons, len(persons) == len(household)


@dataclass(frozen=True)
class TaxDraft:
    """課税証明書 / 非課税証明書 of one fiscal year, by the 1 January municipality only."""

    resident_id: UUID
    fiscal_year: int
    applicant: UUID | None

    async def __call__(self, store: DraftReads, town: Municipality, today: date) -> Draft:
        person = await _person(store, self.resident_id, "resident_id")
        rules.refuse_protected([person], applicant=self.applicant, field="resident_id")
        assessment = await store.tax_assessment(self.resident_id, self.fiscal_year)
        if assessment is None:
            rules.refuse_not_january_first(person, self.fiscal_year)
            raise NotAssessed(self.fiscal_year)
        document = tax_document(assessment, person, municipality=town, issued_on=today)
        return Draft(document, "resident", (person.resident_id,),
                     ("name", "birth_date", "address_on_january_1", "income", "tax"))


@dataclass(frozen=True)
class DamageDraft:
    """罹災証明書 of a damaged house in this municipality (grade and disaster, no money)."""

    assessment_id: UUID
    applicant: UUID | None

    async def __call__(self, store: DraftReads, town: Municipality, today: date) -> Draft:
        assessment = await store.damage_assessment(self.assessment_id)
        if assessment is None:
            raise NotFound("damage assessment")
        subjects: tuple[UUID, ...] = (assessment.assessment_id,)
        subject_type = "damage_assessment"
        householder = assessment.householder_resident_id
        if householder is not None:
            person = await store.resident(householder)
            if person is not None:
                rules.refuse_protected([person], applicant=self.applicant,
                                       field="assessment_id")
                if not assessment.householder_name:  # translated before the register came
                    assessment = assessment.model_copy(update={
                        "householder_name": person.name, "householder_address": person.address})
            subjects, subject_type = (householder,), "resident"
        document = damage_document(assessment, municipality=town, issued_on=today)
        return Draft(document, subject_type, subjects,
                     ("householder_name", "householder_address", "house_address",
                      "damage_grade"), assessment_id=assessment.assessment_id)


@dataclass(frozen=True)
class DamageReportDraft:
    """被災証明書 of a person's reported damage in a disaster this municipality declared,
    applied for within the disaster's window; no survey, so no grade (DOMAIN §6). The person
    is one the register knows, and may have moved out since: victims often must."""

    disaster_id: UUID
    resident_id: UUID
    properties: tuple[DamagedProperty, ...]
    location: str
    description: str
    applicant: UUID | None

    async def __call__(self, store: DraftReads, town: Municipality, today: date) -> Draft:
        disaster = await store.declared_disaster(self.disaster_id)
        if disaster is None:
            raise InvalidInput("disaster_id", "no disaster declared by this municipality has "
                                              "this id (or its declaration has not reached the "
                                              "certificates service yet)")
        if not disaster.accepts_applications_on(today):
            raise InvalidInput("disaster_id", "被災証明書 of this disaster are applied for from "
                                              f"{disaster.application_opens_on} to "
                                              f"{disaster.application_closes_on}")
        person = await _person(store, self.resident_id, "resident_id")
        rules.refuse_protected([person], applicant=self.applicant, field="resident_id")
        report = DamageReport(disaster=disaster, person=person, properties=self.properties,
                              location=self.location, description=self.description)
        document = damage_report_document(report, municipality=town, issued_on=today)
        return Draft(document, "resident", (person.resident_id,),
                     ("name", "address", "disaster", "damaged_property", "location",
                      "description"))
