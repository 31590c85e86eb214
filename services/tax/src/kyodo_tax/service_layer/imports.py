"""Importing a file of 給与支払報告書: every row checked, good rows kept, bad rows reported.

A file of up to SYNC_ROWS rows is imported within the request; a larger one is stored with
its import and the tax worker imports it chunk by chunk (run_import_job), each chunk's reports
committed together with the import's counters and cursor, so a crash loses nothing and a
restart continues where the last chunk ended. Both paths run the same chunk code.

Idempotent twice over: the same file (by SHA-256) for the same fiscal year returns the first
import's result and changes nothing; a row whose employer and employee were reported before
with the same content is counted as unchanged, and with other content it supersedes the
earlier report (a 訂正 by the employer).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from kyodo_common.db import Database
from kyodo_jp.kana import normalize_kana
from kyodo_tax.adapters.salary_imports import import_transaction
from kyodo_tax.domain.salary_report import (
    RowProblem,
    SalaryReportRow,
    file_hash,
    parse_salary_reports,
)
from kyodo_tax.service_layer.lookups import january_first_residents
from kyodo_tax.service_layer.ports import RegisteredPerson, RegisterView, SalaryImportStore

# Files up to this many rows are imported within the request (a few seconds at most: the
# answer is the result, as before); larger ones become a job the worker runs.
SYNC_ROWS = 2_000
# Rows per transaction in a job: small enough that a crash redoes little, large enough that
# the per-chunk lookups stay set-based.
CHUNK_ROWS = 500


@dataclass
class ImportSummary:
    import_id: UUID
    fiscal_year: int
    file_sha256: str
    received: int
    accepted: int  # rows stored for the first time
    unchanged: int  # rows identical to a report already stored
    superseding: int  # rows replacing an earlier report of the same employer and employee
    rejected: int
    problems: list[dict[str, Any]] = field(default_factory=list)
    already_imported: bool = False
    state: str = "finished"
    done: int = 0
    error: str | None = None

    @classmethod
    def from_row(cls, row: Any, *, already_imported: bool) -> ImportSummary:
        # chunks append their problems: shown in the file's order
        problems = sorted(row.problems, key=lambda p: (p["line"], p["name"]))
        return cls(import_id=row.id, fiscal_year=row.fiscal_year, file_sha256=row.file_sha256,
                   received=row.received, accepted=row.accepted, unchanged=row.unchanged,
                   superseding=row.superseding, rejected=row.rejected,
                   problems=problems, already_imported=already_imported, state=row.state,
                   done=row.done, error=row.error)


async def _match(register: RegisterView, rows: Sequence[SalaryReportRow], fiscal_year: int
                 ) -> tuple[list[tuple[SalaryReportRow, RegisteredPerson]], list[RowProblem]]:
    """Each row's person in this municipality's register, registered here on 1 January."""
    by_number = await register.latest_by_resident_number(
        sorted({r.resident_number for r in rows if r.resident_number}))
    by_id = await register.latest_by_person(
        sorted({r.platform_person_id for r in rows
                if r.platform_person_id and not r.resident_number}))
    matched, problems = [], []
    for row in rows:
        field_name = "resident_number" if row.resident_number else "platform_person_id"
        person = (by_number.get(row.resident_number) if row.resident_number
                  else by_id.get(row.platform_person_id) if row.platform_person_id else None)
        if person is None:
            problems.append(RowProblem(row.line, field_name, "no such person in the register"))
        elif row.platform_person_id and row.platform_person_id != person.platform_person_id:
            problems.append(RowProblem(row.line, "platform_person_id",
                                       "does not belong to this 宛名番号"))
        elif (normalize_kana(person.family_name_kana), normalize_kana(person.given_name_kana)) \
                != (row.family_name_kana, row.given_name_kana):
            problems.append(RowProblem(row.line, "family_name_kana",
                                       "the フリガナ differs from the register's"))
        elif person.birth_date != row.birth_date:
            problems.append(RowProblem(row.line, "birth_date",
                                       "the birth date differs from the register's"))
        else:
            matched.append((row, person))
    residents = await january_first_residents(
        register, sorted({p.platform_person_id for _, p in matched}), fiscal_year)
    kept = []
    for row, person in matched:
        if person.platform_person_id in residents:
            kept.append((row, person))
        else:
            problems.append(RowProblem(
                row.line, "resident_number",
                f"not registered in this municipality on 1 January {fiscal_year}: the report "
                "goes to the municipality of the 1 January address"))
    return kept, problems


def _values(row: SalaryReportRow, person: RegisteredPerson, *, code: str, fiscal_year: int,
            import_id: UUID) -> dict[str, Any]:
    d = row.dependants
    return {
        "municipality_code": code, "fiscal_year": fiscal_year, "import_id": import_id,
        "line": row.line, "row_key": row.row_key, "content_hash": row.content_hash(),
        "employer_number": row.employer_number, "employer_name": row.employer_name,
        "platform_person_id": person.platform_person_id, "resident_id": person.resident_id,
        "salary_income": row.salary_income, "social_insurance": row.social_insurance,
        "other_deductions": row.other_deductions, "spouse": row.spouse.value,
        "disability": row.disability.value, "widowhood": row.widowhood.value,
        "working_student": row.working_student, "collection": row.collection.value,
        "left_on": row.left_on,
        **{f"dependants_{k}" if not k.startswith("disabled") else k: v
           for k, v in asdict(d).items()},
    }


def _problems(problems: Sequence[RowProblem]) -> list[dict[str, Any]]:
    return [{"line": p.line, "name": p.field, "reason": p.reason} for p in problems]


async def start_import(*, imports: SalaryImportStore, register: RegisterView, code: str,
                       fiscal_year: int, content: bytes, file_format: str, actor: str,
                       today: date, sync_rows: int = SYNC_ROWS) -> ImportSummary:
    """Raises FileRefused when the file as a whole cannot be read (nothing is stored then).
    A small file is imported here (state finished); a larger one is queued for the worker."""
    digest = file_hash(content)
    earlier = await imports.earlier(fiscal_year, digest)
    if earlier is not None:
        return ImportSummary.from_row(earlier, already_imported=True)
    parsed = parse_salary_reports(content, file_format=file_format, fiscal_year=fiscal_year,
                                  today=today)
    import_id = uuid.uuid4()
    queued = parsed.received > sync_rows
    await imports.add(import_id=import_id, code=code, fiscal_year=fiscal_year, digest=digest,
                      file_format=file_format, received=parsed.received,
                      rejected=len({p.line for p in parsed.problems}),
                      problems=_problems(parsed.problems), actor=actor,
                      content=content if queued else None)
    if not queued:
        for start in range(0, len(parsed.rows), CHUNK_ROWS):
            await import_chunk(imports, register, code=code, fiscal_year=fiscal_year,
                               import_id=import_id, rows=parsed.rows[start:start + CHUNK_ROWS])
        await imports.finish(import_id)
    return ImportSummary.from_row(await imports.get(import_id), already_imported=False)


async def import_chunk(imports: SalaryImportStore, register: RegisterView, *, code: str,
                       fiscal_year: int, import_id: UUID,
                       rows: Sequence[SalaryReportRow]) -> None:
    """Stores one chunk's reports and adds its counts, problems and rows to the import, in the
    caller's transaction: the reports and the progress commit together."""
    matched, problems = await _match(register, rows, fiscal_year)
    values = [_values(row, person, code=code, fiscal_year=fiscal_year, import_id=import_id)
              for row, person in matched]
    stored = {(r.row_key, r.content_hash): r for r in await imports.stored_reports(
        fiscal_year, [v["row_key"] for v in values])} if values else {}
    active = {key: r.id for (key, _), r in stored.items() if r.superseded_by is None}
    new = [v for v in values if (v["row_key"], v["content_hash"]) not in stored]
    revived = [stored[(v["row_key"], v["content_hash"])].id for v in values
               if (v["row_key"], v["content_hash"]) in stored
               and stored[(v["row_key"], v["content_hash"])].superseded_by is not None]
    unchanged = len(values) - len(new) - len(revived)
    await imports.count_chunk(
        import_id, accepted=len(new), unchanged=unchanged,
        superseding=sum(1 for v in new if v["row_key"] in active) + len(revived),
        rejected=len({p.line for p in problems}), problems=_problems(problems), rows=len(rows))
    inserted = await imports.add_reports(new) if new else {}
    replacements = dict(inserted)
    if revived:  # a report changed back to content stored before: that row is current again
        replacements.update(await imports.revive(revived))
    for key, new_id in replacements.items():
        if key in active and active[key] != new_id:
            await imports.supersede(active[key], by=new_id)


async def run_import_job(db: Database, *, import_id: UUID, code: str, today: date,
                         should_stop: Callable[[], bool], chunk_rows: int = CHUNK_ROWS,
                         fault: Callable[[int], None] | None = None) -> None:
    """The worker's side: one transaction per chunk, locking the import so that two workers
    never import the same chunk; returns when the import finished or ``should_stop``."""
    parsed: list[SalaryReportRow] | None = None
    while not should_stop():
        async with import_transaction(db, code) as (imports, register):
            job = await imports.get(import_id, for_update=True)
            if job is None or job.state in ("finished", "failed"):
                return
            if parsed is None:  # the file was checked when it came: parsing again is cheap
                parsed = parse_salary_reports(job.content, file_format=job.file_format,
                                              fiscal_year=job.fiscal_year, today=today).rows
            if job.state == "queued":
                await imports.start(import_id)
            chunk = parsed[job.cursor:job.cursor + chunk_rows]
            if chunk:
                await import_chunk(imports, register, code=code, fiscal_year=job.fiscal_year,
                                   import_id=import_id, rows=chunk)
            if fault is not None:  # tests: a crash after the chunk's writes, before the commit
                fault(job.cursor)
            if job.cursor + len(chunk) >= len(parsed):
                await imports.finish(import_id)
                return
