"""One handler per tax command: the use case, and what the caller is answered.

Handlers that need the tax rules are bound to the service's TaxContext at the composition
root (api.deps). A handler takes its stores from the unit of work (TaxUnitOfWork:
``uow.assessments``, ``uow.register``, ...); kyodo_common.write_pipeline claims the key,
writes the access-log entries the outcome names and the answer, and commits.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.clock import today_in_japan
from kyodo_common.errors import NotFound, RuleBroken
from kyodo_common.write_pipeline import Access, Outcome
from kyodo_tax.adapters import assessments as views
from kyodo_tax.api.schemas import AssessmentPublic, DeclarationPublic, ImportPublic, JobPublic
from kyodo_tax.domain.salary_report import FileRefused
from kyodo_tax.service_layer import commands as c
from kyodo_tax.service_layer.assess_one import assess_person
from kyodo_tax.service_layer.bulk import request_bulk_assessment
from kyodo_tax.service_layer.collection import switch_collection
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.service_layer.declarations import declare
from kyodo_tax.service_layer.imports import ImportSummary, start_import

FIELDS = ["income", "deductions", "tax"]


async def assessment_public(session: Any, assessment_id: Any) -> AssessmentPublic:
    row = await views.assessment(session, assessment_id)
    if row is None:
        raise NotFound("the assessment")
    return AssessmentPublic.from_row(row)


class TaxHandlers:
    """The handlers, with the rules they assess by."""

    def __init__(self, context: TaxContext) -> None:
        self.context = context

    async def assess(self, command: c.Assess, uow: Any) -> Outcome:
        assessment_id, created = await assess_person(
            assessments=uow.assessments, register=uow.register,
            code=uow.municipality_code, fiscal_year=command.fiscal_year,
            platform_person_id=command.platform_person_id, context=self.context,
            today=today_in_japan())
        public = await assessment_public(uow.session, assessment_id)
        accesses = [Access("assessment.made", "taxpayer", [str(command.platform_person_id)],
                           FIELDS)] if created else []
        return Outcome(public.model_dump(mode="json"),
                       result="created" if created else "done", accesses=accesses,
                       location=f"/v1/municipalities/{uow.municipality_code}/tax/assessments/"
                                f"{assessment_id}")

    async def switch_collection(self, command: c.SwitchCollection, uow: Any) -> Outcome:
        await switch_collection(assessments=uow.assessments,
                                assessment_id=command.assessment_id,
                                reason=command.reason, on=command.on, context=self.context)
        public = await assessment_public(uow.session, command.assessment_id)
        return Outcome(public.model_dump(mode="json"), accesses=[Access(
            "collection.switched", "taxpayer", [str(public.platform_person_id)],
            ["collection"])])

    async def start_bulk_assessment(self, command: c.StartBulkAssessment, uow: Any) -> Outcome:
        jobs = uow.bulk_jobs
        job_id = await request_bulk_assessment(
            jobs=jobs, register=uow.register, code=uow.municipality_code,
            fiscal_year=command.fiscal_year,
            actor=command.actor, context=self.context)
        row = await jobs.status(job_id)
        return Outcome(JobPublic.from_row(row).model_dump(mode="json"), result="accepted",
                       accesses=[Access("bulk_assessment.requested", "tax_bulk_job",
                                        [str(job_id)], ["assessments"])],
                       location=f"/v1/municipalities/{uow.municipality_code}/tax/"
                                f"bulk-assessments/{job_id}")

    async def import_salary_reports(self, command: c.ImportSalaryReports,
                                    uow: Any) -> Outcome:
        try:
            summary = await start_import(
                imports=uow.salary_imports, register=uow.register,
                code=uow.municipality_code, fiscal_year=command.fiscal_year,
                content=command.content, file_format=command.file_format,
                actor=command.actor, today=today_in_japan(),
                sync_rows=self.context.import_sync_rows)
        except FileRefused as exc:
            raise RuleBroken(exc.reason, title="File refused", kind="file-refused",
                             invalid_params=[{"name": c, "reason": exc.reason}
                                             for c in exc.columns or ["file"]]) from None
        accesses = [] if summary.already_imported else [Access(
            "salary_reports.imported", "salary_report_import", [str(summary.import_id)],
            ["salary_reports"])]
        return Outcome(import_public(summary).model_dump(mode="json"),
                       result="done" if summary.already_imported else (
                           "created" if summary.state == "finished" else "accepted"),
                       accesses=accesses,
                       location=f"/v1/municipalities/{uow.municipality_code}/tax/"
                                f"salary-reports/imports/{summary.import_id}")


async def file_declaration(command: c.FileDeclaration, uow: Any) -> Outcome:
    declaration = command.declaration
    declared = await declare(declarations=uow.declarations,
                             register=uow.register, code=uow.municipality_code,
                             fiscal_year=command.fiscal_year,
                             platform_person_id=command.platform_person_id,
                             declaration=declaration, actor=command.actor)
    d = declaration.household.dependants
    public = DeclarationPublic(
        id=declared.id, version=declared.version, fiscal_year=command.fiscal_year,
        platform_person_id=command.platform_person_id,
        spouse=declaration.household.spouse.value,
        dependants={"general": d.general, "specified": d.specified, "elderly": d.elderly,
                    "elderly_cohabiting": d.elderly_cohabiting, "under_16": d.under_16})
    return Outcome(public.model_dump(mode="json"), result="created", accesses=[Access(
        "declaration.filed", "taxpayer", [str(command.platform_person_id)], ["declaration"])])


def import_public(summary: ImportSummary) -> ImportPublic:
    progress = 1.0 if summary.state == "finished" else (
        summary.done / summary.received if summary.received else 0.0)
    return ImportPublic.model_validate({**vars(summary), "progress": round(progress, 4)})
