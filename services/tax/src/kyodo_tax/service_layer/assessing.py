"""Assessing many taxpayers at once: load their inputs, compute, keep what changed.

Shared by the bulk job (thousands per chunk) and the single assessment (a chunk of one), so
that both take exactly the same path through the rules.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from kyodo_tax.adapters.assessment_store import Assessed
from kyodo_tax.adapters.ids import time_ordered_ids
from kyodo_tax.domain.assessment import UnverifiedRule
from kyodo_tax.domain.facts import MunicipalTaxConfig
from kyodo_tax.domain.inputs import facts_from
from kyodo_tax.domain.residence import Taxpayer
from kyodo_tax.domain.rulebook import RuleSet
from kyodo_tax.domain.versions import Outcome, next_version
from kyodo_tax.service_layer.ports import Inputs

NO_INCOME_DATA = "no salary report or declaration for the fiscal year"


@dataclass
class Batch:
    assessed: list[Assessed] = field(default_factory=list)
    unchanged: list[UUID] = field(default_factory=list)
    refused: list[tuple[UUID, str]] = field(default_factory=list)


@dataclass
class Timings:
    """Seconds spent per stage, summed over chunks (the benchmark reports them)."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - started
        return now

    def lap(self) -> Callable[[str], None]:
        """A stopwatch from now: each call charges the time since the previous one."""
        last = time.perf_counter()

        def stage(name: str) -> None:
            nonlocal last
            last = self.add(name, last)

        return stage


async def assess_taxpayers(inputs: Inputs, taxpayers: Sequence[Taxpayer], *,
                           rules: RuleSet, config: MunicipalTaxConfig, allow_unverified: bool,
                           today: date, timings: Timings | None = None,
                           yield_every: int = 0) -> Batch:
    """``yield_every``: let other tasks run every so many persons (a bulk job writes the chunk
    before while it computes this one)."""
    timings = timings or Timings()
    started = time.perf_counter()
    fiscal_year = rules.fiscal_year
    ids = [t.platform_person_id for t in taxpayers]
    reports = await inputs.reports_of(fiscal_year, ids)
    declarations = await inputs.declarations_of(fiscal_year, ids)
    previous = await inputs.previous_of(fiscal_year, ids)
    started = timings.add("load inputs", started)
    batch = Batch()
    new: list[tuple[Taxpayer, Outcome]] = []
    for index, taxpayer in enumerate(taxpayers, start=1):
        if yield_every and index % yield_every == 0:
            started = timings.add("compute", started)
            await asyncio.sleep(0)
            started = time.perf_counter()
        person = taxpayer.platform_person_id
        filed = reports.get(person, ())
        declaration = declarations.get(person)
        if not filed and declaration is None:
            batch.refused.append((person, NO_INCOME_DATA))
            continue
        facts, method = facts_from(fiscal_year=fiscal_year, birth_date=taxpayer.birth_date,
                                   reports=filed, declaration=declaration)
        try:
            outcome = next_version(facts=facts, method=method, rules=rules, config=config,
                                   previous=previous.get(person),
                                   allow_unverified=allow_unverified, today=today)
        except UnverifiedRule as exc:
            batch.refused.append((person, f"manual assessment: {exc}"))
            continue
        if outcome is None:
            batch.unchanged.append(person)
        else:
            new.append((taxpayer, outcome))
    timings.add("compute", started)
    # Declared spouses and dependants by person are rare: one more statement, only then.
    named = sorted({p for _, o in new for p in o.facts.dependant_persons})
    found = await inputs.dependants_on_january_first(fiscal_year, named) if named else {}
    batch.assessed = [Assessed(i, t, o, tuple(found[p] for p in o.facts.dependant_persons
                                               if p in found))
                      for i, (t, o) in zip(time_ordered_ids(len(new)), new, strict=True)]
    return batch
