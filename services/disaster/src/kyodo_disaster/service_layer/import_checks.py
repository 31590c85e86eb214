"""The checks each row of a field-survey file goes through before anything is written."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from kyodo_common.errors import InvalidInput
from kyodo_disaster.adapters.houses import fingerprint
from kyodo_disaster.domain.addresses import Area, address_key
from kyodo_disaster.domain.application import may_apply
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.field_csv import FieldRow, RowError
from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.houses import OUTSIDE_AREA
from kyodo_disaster.service_layer.ports import HouseStore, ResidentView
from kyodo_disaster.service_layer.surveys import grade_of


@dataclass
class ImportReport:
    rows: int
    houses_created: int = 0
    surveys_recorded: int = 0
    unchanged: int = 0
    applications_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    # What was written (for the access log): houses assessed or re-assessed, applications.
    assessed: list[uuid.UUID] = field(default_factory=list)
    reassessed: list[uuid.UUID] = field(default_factory=list)
    applications: list[uuid.UUID] = field(default_factory=list)

    def refuse(self, line: int, field_name: str, reason: str) -> None:
        self.errors.append(RowError(line, field_name, reason))


@dataclass
class CheckedRow:
    row: FieldRow
    key: str
    grade: Grade
    fingerprint: str
    recorded: bool  # the same survey is already in the ledger: only its application may be new
    applicant: uuid.UUID | None = None


def refuse_invalid(report: ImportReport, line: int, exc: InvalidInput) -> None:
    param = exc.invalid_params[0]
    report.refuse(line, param["name"], param["reason"])


def check_rows(rows: list[FieldRow], *, disaster: Disaster, context: DisasterContext,
                today: date, report: ImportReport) -> list[CheckedRow]:
    """The rules each row must follow by itself."""
    area = Area(disaster.affected_area)
    window_open = disaster.accepts_applications_on(today)
    checked = []
    for row in rows:
        try:
            grade = grade_of(row.survey, disaster=disaster, context=context, today=today)
        except InvalidInput as exc:
            refuse_invalid(report, row.line, exc)
            continue
        if not area.contains(postal_code=row.postal_code, address=row.address):
            report.refuse(row.line, "address", OUTSIDE_AREA)
            continue
        if row.applicant_number and not window_open:
            report.refuse(row.line, "applicant_resident_number",
                          "the application window is closed")
            continue
        checked.append(CheckedRow(row=row, key=address_key(row.address), grade=grade,
                            fingerprint=fingerprint(row.address, row.survey), recorded=False))
    return checked


async def check_references(houses: HouseStore, disaster: Disaster, checked: list[CheckedRow],
                            report: ImportReport) -> list[CheckedRow]:
    """A survey_ref names one survey: the same values again are unchanged, others refused."""
    refs = [item.row.survey.survey_ref or "" for item in checked]
    recorded = await houses.recorded_refs(disaster.id, refs)
    first_line: dict[str, int] = {}
    kept = []
    for item, ref in zip(checked, refs, strict=True):
        if ref in first_line:
            report.refuse(item.row.line, "survey_ref", f"also on line {first_line[ref]}")
            continue
        first_line[ref] = item.row.line
        if ref in recorded:
            if recorded[ref] != item.fingerprint:
                report.refuse(item.row.line, "survey_ref",
                              "recorded before with other values; a correction is a 二次調査 "
                              "under its own reference")
                continue
            item.recorded = True
        kept.append(item)
    return kept


async def check_applicants(residents: ResidentView, checked: list[CheckedRow],
                            occupants: dict[str, list[uuid.UUID]],
                            report: ImportReport) -> list[CheckedRow]:
    """申請者: a registered resident living in the house (or in an occupant's household)."""
    numbers = {item.row.applicant_number for item in checked if item.row.applicant_number}
    ids = await residents.ids_by_number(numbers)
    people = await residents.by_id({*ids.values(), *(
        o for item in checked if item.row.applicant_number for o in occupants.get(item.key, []))})
    households = {pid: row.household_id for pid, row in people.items()}
    kept = []
    for item in checked:
        number = item.row.applicant_number
        if number is not None:
            applicant = ids.get(number)
            if applicant is None:
                report.refuse(item.row.line, "applicant_resident_number",
                              "no resident with this 宛名番号 in the register")
                continue
            if not may_apply(applicant, occupants=occupants.get(item.key, []),
                             households=households):
                report.refuse(item.row.line, "applicant_resident_number",
                              "the applicant is not registered as living in the house")
                continue
            item.applicant = applicant
        kept.append(item)
    return kept
