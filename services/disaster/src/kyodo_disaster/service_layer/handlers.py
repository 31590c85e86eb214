"""One handler per disaster command: the use case, and what the caller is answered.

The handlers that need the disaster rules are bound to the service's DisasterContext at the
composition root (api.deps); kyodo_common.write_pipeline claims the key, writes the
access-log entries the outcome names and the answer, and commits.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.clock import today_in_japan
from kyodo_common.errors import NotFound, RuleBroken
from kyodo_common.write_pipeline import Access, Outcome
from kyodo_disaster.adapters.applications import application
from kyodo_disaster.adapters.houses import history
from kyodo_disaster.adapters.stores import SqlStores
from kyodo_disaster.api.schemas.applications import (
    ApplicationPublic,
    ImportReportPublic,
    JobPublic,
    RowErrorOut,
    SurveyImportPublic,
)
from kyodo_disaster.api.schemas.disasters import DisasterPublic
from kyodo_disaster.api.schemas.houses import HousePublic
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.field_csv import FieldRow, RowError, parse
from kyodo_disaster.service_layer import commands as c
from kyodo_disaster.service_layer.applications import apply
from kyodo_disaster.service_layer.certificate_jobs import request_job
from kyodo_disaster.service_layer.common import disaster_or_404
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.declarations import amend, declare
from kyodo_disaster.service_layer.houses import register_house, set_occupants
from kyodo_disaster.service_layer.import_checks import ImportReport
from kyodo_disaster.service_layer.imports import import_accesses, import_rows
from kyodo_disaster.service_layer.survey_import_jobs import queue_import
from kyodo_disaster.service_layer.surveys import record_survey


def _base(uow: Any) -> str:
    return f"/v1/municipalities/{uow.municipality_code}/disaster"


class DisasterHandlers:
    """The handlers, with the rules (windows, grades) they apply."""

    def __init__(self, context: DisasterContext) -> None:
        self.context = context

    async def declare(self, command: c.DeclareDisaster, uow: Any) -> Outcome:
        disaster = await declare(
            SqlStores(uow), actor=command.actor, name=command.name, kind=command.kind,
            occurred_on=command.occurred_on, affected_area=command.affected_area,
            opens_on=command.opens_on, closes_on=command.closes_on,
            rules=self.context.rules.window, today=today_in_japan())
        return Outcome(DisasterPublic.of(disaster).model_dump(mode="json"), result="created",
                       accesses=[Access("disaster.declared", "disaster", [str(disaster.id)],
                                        ["declaration"])],
                       location=f"{_base(uow)}/disasters/{disaster.id}",
                       version=disaster.version)

    async def amend(self, command: c.AmendDisaster, uow: Any) -> Outcome:
        disaster = await amend(
            SqlStores(uow), actor=command.actor, disaster_id=command.disaster_id,
            expected_version=command.expected_version, affected_area=command.affected_area,
            closes_on=command.closes_on, rules=self.context.rules.window,
            today=today_in_japan())
        return Outcome(DisasterPublic.of(disaster).model_dump(mode="json"),
                       accesses=[Access("disaster.amended", "disaster", [str(disaster.id)],
                                        ["declaration"])], version=disaster.version)

    async def record_survey(self, command: c.RecordSurvey, uow: Any) -> Outcome:
        house, regraded = await record_survey(
            SqlStores(uow), actor=command.actor, house_id=command.house_id,
            expected_version=command.expected_version, survey=command.survey,
            context=self.context, today=today_in_japan())
        surveys = await history(uow.session, command.house_id)
        action = "house.reassessed" if regraded.is_reassessment else "house.assessed"
        return Outcome(HousePublic.of(house, surveys).model_dump(mode="json"),
                       result="created", version=house.version,
                       accesses=[Access(action, "house", [str(house.id)], ["survey", "grade"])])

    async def import_surveys(self, command: c.ImportSurveys, uow: Any) -> Outcome:
        """A file of up to ``import_sync_rows`` rows (or a dry run) is imported here; a
        larger one is queued for the worker (202, Location: the import's progress)."""
        stores = SqlStores(uow)
        rows, errors = parse(command.text)
        queued = not command.dry_run and len(rows) + len(errors) > self.context.import_sync_rows
        disaster = await disaster_or_404(stores.disasters, command.disaster_id,
                                         for_update=not queued)
        _refuse_unreadable(errors)
        if queued:
            return await self._queue_import(command, stores, disaster, rows, errors)
        report = await import_rows(stores, actor=command.actor, disaster=disaster, rows=rows,
                                   errors=errors, context=self.context, today=today_in_japan(),
                                   dry_run=command.dry_run)
        return Outcome(_report_body(report), accesses=import_accesses(report))

    async def _queue_import(self, command: c.ImportSurveys, stores: SqlStores,
                            disaster: Disaster, rows: list[FieldRow],
                            errors: list[RowError]) -> Outcome:
        import_id = await queue_import(stores, actor=command.actor, disaster=disaster,
                                       text=command.text, rows=rows, errors=errors,
                                       context=self.context, today=today_in_japan())
        row = await stores.survey_imports.status(import_id)
        return Outcome(SurveyImportPublic.of(row).model_dump(mode="json"), result="accepted",
                       accesses=[Access("survey_import.requested", "survey_import",
                                        [str(import_id)], ["survey", "application"],
                                        purpose="disaster-response")],
                       location=f"{_base(stores.uow)}/survey-imports/{import_id}")


async def add_house(command: c.RegisterHouse, uow: Any) -> Outcome:
    stores = SqlStores(uow)
    disaster = await disaster_or_404(stores.disasters, command.disaster_id, for_update=True)
    house = await register_house(stores, actor=command.actor, disaster=disaster,
                                 postal_code=command.postal_code, address=command.address)
    return Outcome(HousePublic.of(house).model_dump(mode="json"), result="created",
                   accesses=[Access("house.registered", "house", [str(house.id)],
                                    ["address", "occupants"])],
                   location=f"{_base(uow)}/houses/{house.id}", version=house.version)


async def correct_occupants(command: c.SetOccupants, uow: Any) -> Outcome:
    house = await set_occupants(SqlStores(uow), actor=command.actor, house_id=command.house_id,
                                expected_version=command.expected_version,
                                resident_ids=command.resident_ids)
    return Outcome(HousePublic.of(house).model_dump(mode="json"), version=house.version,
                   accesses=[Access("house.occupants_set", "house", [str(house.id)],
                                    ["occupants"])])


async def apply_for_certificate(command: c.ApplyForCertificate, uow: Any) -> Outcome:
    application_id = await apply(SqlStores(uow), actor=command.actor, house_id=command.house_id,
                                 applicant_resident_id=command.applicant_resident_id,
                                 copies=command.copies, today=today_in_japan())
    row = await application(uow.session, application_id)
    if row is None:
        raise NotFound("the application")
    return Outcome(ApplicationPublic.model_validate(dict(row._mapping)).model_dump(mode="json"),
                   result="created", accesses=[Access(
                       "application.received", "application", [str(application_id)],
                       ["application"])])


async def start_certificate_job(command: c.StartCertificateJob, uow: Any) -> Outcome:
    stores = SqlStores(uow)
    job_id = await request_job(stores, actor=command.actor,
                               application_ids=command.application_ids)
    row = await stores.certificate_jobs.status(job_id)
    return Outcome(JobPublic.of(row).model_dump(mode="json"), result="accepted",
                   accesses=[Access("certificate_job.requested", "certificate_job",
                                    [str(job_id)], ["applications"])],
                   location=f"{_base(uow)}/certificate-jobs/{job_id}")


def _refuse_unreadable(errors: list[RowError]) -> None:
    """A file whose header is wrong has no row to report on: the whole file is refused."""
    if errors and errors[0].line == 1 and errors[0].field == "header":
        raise RuleBroken(errors[0].reason, title="Invalid file",
                         invalid_params=[{"name": "line 1", "reason": errors[0].reason}])


def _report_body(report: ImportReport) -> dict[str, object]:
    return ImportReportPublic(
        rows=report.rows, houses_created=report.houses_created,
        surveys_recorded=report.surveys_recorded, unchanged=report.unchanged,
        applications_created=report.applications_created,
        errors=[RowErrorOut(line=e.line, field=e.field, reason=e.reason) for e in report.errors],
        dry_run=report.dry_run).model_dump(mode="json")
