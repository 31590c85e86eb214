"""現地調査票の取込: surveys from a field-survey CSV, row by row, safe to import again.

Rows that pass are recorded, rows that do not are reported with their line and field; a
row already recorded under its ``survey_ref`` with the same values changes nothing, so a file
whose bad rows were fixed is simply imported again. Everything is set-based: a few queries
per file, not per row.
"""

from __future__ import annotations

import uuid
from datetime import date

from kyodo_common.errors import InvalidInput
from kyodo_common.write_pipeline import Access
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.field_csv import FieldRow, RowError, parse
from kyodo_disaster.domain.house import House, Regraded, SurveyRecord
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.houses import new_house
from kyodo_disaster.service_layer.import_checks import (
    CheckedRow,
    ImportReport,
    check_applicants,
    check_references,
    check_rows,
    refuse_invalid,
)
from kyodo_disaster.service_layer.ports import ApplicationStore, Stores
from kyodo_disaster.service_layer.publishing import publish


async def import_surveys(stores: Stores, *, actor: Actor, disaster: Disaster, text: str,
                         context: DisasterContext, today: date,
                         dry_run: bool = False) -> ImportReport:
    """Checks every row, records those that pass; with ``dry_run`` writes nothing."""
    rows, errors = parse(text)
    return await import_rows(stores, actor=actor, disaster=disaster, rows=rows, errors=errors,
                             context=context, today=today, dry_run=dry_run)


async def import_rows(stores: Stores, *, actor: Actor, disaster: Disaster,
                      rows: list[FieldRow], errors: list[RowError], context: DisasterContext,
                      today: date, dry_run: bool = False) -> ImportReport:
    """The rows of a file (all of a small one, a chunk of a large one) checked, and those
    that pass recorded in the stores' transaction; ``errors`` are the parser's, reported with
    the rest."""
    report = ImportReport(rows=len(rows) + len(errors), errors=list(errors), dry_run=dry_run)
    checked = check_rows(rows, disaster=disaster, context=context, today=today, report=report)
    checked = await check_references(stores.houses, disaster, checked, report)
    keys = {r.key for r in checked}
    existing = await stores.houses.at(disaster.id, keys)
    occupants = {k: h.occupant_ids for k, h in existing.items()}
    occupants.update(await stores.residents.occupants_at(keys - set(existing)))
    checked = await check_applicants(stores.residents, checked, occupants, report)
    created: dict[str, House] = {}
    changes: list[tuple[House, Regraded]] = []
    surveys: list[tuple[SurveyRecord, str]] = []
    for item in checked:
        if item.recorded:
            continue
        house = existing.get(item.key) or created.get(item.key) or new_house(
            disaster, postal_code=item.row.postal_code, address=item.row.address,
            occupant_ids=occupants.get(item.key, []))
        try:
            regraded = house.record_survey(item.row.survey, item.grade, surveyor=actor.subject,
                                           surveyor_home=actor.home, grant_id=actor.grant_id)
        except InvalidInput as exc:
            refuse_invalid(report, item.row.line, exc)
            item.applicant = None
            continue
        if item.key not in existing:
            created[item.key] = house
        changes.append((house, regraded))
        surveys.append((regraded.survey, item.fingerprint))
    report.houses_created, report.surveys_recorded = len(created), len(surveys)
    report.unchanged = sum(1 for item in checked if item.recorded)
    houses = {**existing, **created}
    new_applications = await _applications(stores.applications, checked, houses)
    report.applications_created = len(new_applications)
    report.errors.sort(key=lambda e: e.line)
    if dry_run:
        return report
    await _write(stores, disaster=disaster, created=list(created.values()),
                 changes=changes, surveys=surveys, applications=new_applications, today=today)
    report.assessed = [h.id for h, r in changes if not r.is_reassessment]
    report.reassessed = [h.id for h, r in changes if r.is_reassessment]
    report.applications = [a["id"] for a in new_applications]  # type: ignore[misc]
    return report


def import_accesses(report: ImportReport) -> list[Access]:
    """The access-log entries of what an import wrote: the houses assessed or re-assessed,
    the applications received (a request's Outcome names them; the worker records them)."""
    accesses = [Access(action, "house", [str(i) for i in ids], ["survey", "grade"],
                       purpose="disaster-response")
                for action, ids in (("house.assessed", report.assessed),
                                    ("house.reassessed", report.reassessed)) if ids]
    if report.applications:
        accesses.append(Access("application.received", "application",
                               [str(i) for i in report.applications], ["application"]))
    return accesses


async def _applications(applications: ApplicationStore, checked: list[CheckedRow],
                        houses: dict[str, House]) -> list[dict[str, object]]:
    """Applications named by the rows and not made before (a re-import adds none)."""
    wanted = [(houses[i.key].id, i.applicant, i.row.copies) for i in checked
              if i.applicant is not None and i.key in houses]
    done = await applications.applied({house_id for house_id, _, _ in wanted})
    new = []
    for house_id, applicant, copies in wanted:
        if (house_id, applicant) not in done:
            done.add((house_id, applicant))
            new.append({"id": uuid.uuid4(), "house_id": house_id,
                        "applicant_resident_id": applicant, "copies": copies})
    return new


async def _write(stores: Stores, *, disaster: Disaster, created: list[House],
                 changes: list[tuple[House, Regraded]], surveys: list[tuple[SurveyRecord, str]],
                 applications: list[dict[str, object]], today: date) -> None:
    code = stores.municipality_code
    await stores.houses.add(created, code=code)
    await stores.houses.add_surveys(surveys, code=code, disaster_id=disaster.id)
    await stores.houses.save(list({h.id: h for h, _ in changes}.values()))
    await stores.applications.add(applications, code=code, disaster_id=disaster.id,
                                  applied_on=today)
    await publish(stores, disaster, changes)
