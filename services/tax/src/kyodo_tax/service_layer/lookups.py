"""What the use cases ask the read models: the tenant's amounts, persons and their history."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from kyodo_common.errors import Conflict, RuleBroken
from kyodo_tax.domain.ages import assessment_date
from kyodo_tax.domain.facts import MunicipalTaxConfig
from kyodo_tax.domain.residence import RegisterEntry, Taxpayer, residence_on
from kyodo_tax.domain.rulebook import RuleBook, RuleBookError, RuleSet
from kyodo_tax.service_layer.ports import RegisterView


def rules_for(rule_book: RuleBook, fiscal_year: int) -> RuleSet:
    try:
        return rule_book.for_year(fiscal_year)
    except RuleBookError:
        raise RuleBroken(f"no tax rules for fiscal year {fiscal_year}",
                         invalid_params=[{"name": "fiscal_year",
                                       "reason": f"one of {rule_book.fiscal_years}"}]) from None


async def tax_config(register: RegisterView) -> MunicipalTaxConfig:
    """The tenant's amounts (and 所得割 rates, if its own) from identity; without them no one
    can be assessed."""
    config = await register.tax_config()
    if config is None:
        raise Conflict("this municipality's tax configuration (均等割, 級地) has not "
                       "arrived from identity yet",
                       title="Tax configuration missing",
                       kind="tax-configuration-missing")
    return config


async def taxpayer_on_january_first(register: RegisterView, platform_person_id: UUID,
                                    fiscal_year: int) -> Taxpayer | None:
    """The person as registered here at the end of 1 January, or None if not resident then."""
    versions = await register.history_of([platform_person_id])
    state = residence_on([v.entry for v in versions], assessment_date(fiscal_year))
    if state is None:
        return None
    found = next(v for v in versions if v.entry.resident_id == state.resident_id
                 and v.entry.version == state.version)
    return Taxpayer(platform_person_id=platform_person_id, resident_id=state.resident_id,
                    resident_number=found.resident_number, birth_date=found.birth_date,
                    postal_code=found.entry.postal_code, address=found.entry.address)


async def january_first_residents(register: RegisterView, persons: Sequence[UUID],
                                  fiscal_year: int) -> set[UUID]:
    """Which of these persons were registered here at the end of 1 January."""
    by_person: dict[UUID, list[RegisterEntry]] = {}
    for version in await register.history_of(persons):
        by_person.setdefault(version.entry.platform_person_id, []).append(version.entry)
    day = assessment_date(fiscal_year)
    return {p for p, entries in by_person.items() if residence_on(entries, day) is not None}
