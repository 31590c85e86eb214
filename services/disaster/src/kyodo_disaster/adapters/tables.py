"""Tables of the disaster service (SQLAlchemy Core; the schema itself is in migrations)."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = sa.MetaData()


def _tenant(name: str, *columns: sa.Column[Any]) -> sa.Table:
    return sa.Table(name, metadata, sa.Column("municipality_code", sa.String(6), nullable=False),
                    *columns)


disasters = _tenant(
    "disasters",
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("affected_area", ARRAY(sa.Text), nullable=False),
    sa.Column("application_opens_on", sa.Date, nullable=False),
    sa.Column("application_closes_on", sa.Date, nullable=False),
    sa.Column("declared_by", sa.Text, nullable=False),
    sa.Column("declared_by_home", sa.String(6), nullable=False),
    sa.Column("declared_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False),
)

houses = _tenant(
    "houses",
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("disaster_id", UUID(as_uuid=True), nullable=False),
    sa.Column("postal_code", sa.String(7), nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("address_key", sa.Text, nullable=False),
    sa.Column("occupant_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
    sa.Column("survey_version", sa.Integer, nullable=False),
    sa.Column("grade", sa.Text),
    sa.Column("damage_ratio", sa.Numeric(5, 2)),
    sa.Column("surveyed_on", sa.Date),
    sa.Column("survey_kind", sa.Text),
    sa.Column("method", sa.Text),
    sa.Column("registered_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False),
)

surveys = _tenant(
    "surveys",
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("disaster_id", UUID(as_uuid=True), nullable=False),
    sa.Column("house_id", UUID(as_uuid=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("method", sa.Text, nullable=False),
    sa.Column("damage_ratio", sa.Numeric(5, 2), nullable=False),
    sa.Column("grade", sa.Text, nullable=False),
    sa.Column("surveyed_on", sa.Date, nullable=False),
    sa.Column("surveyor", sa.Text, nullable=False),
    sa.Column("surveyor_home", sa.String(6), nullable=False),
    sa.Column("grant_id", sa.Text),
    sa.Column("survey_ref", sa.Text),
    sa.Column("appeal_reason", sa.Text),
    sa.Column("applicant_agrees", sa.Boolean, nullable=False),
    sa.Column("photos", JSONB, nullable=False),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True)),
)

applications = _tenant(
    "applications",
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("disaster_id", UUID(as_uuid=True), nullable=False),
    sa.Column("house_id", UUID(as_uuid=True), nullable=False),
    sa.Column("applicant_resident_id", UUID(as_uuid=True), nullable=False),
    sa.Column("copies", sa.Integer, nullable=False),
    sa.Column("applied_on", sa.Date, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("ready_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False),
    # Who made it ready (a certificate job's requester): the actor of its issuance.
    sa.Column("ready_job_id", UUID(as_uuid=True)),
    sa.Column("ready_by", sa.Text),
    sa.Column("ready_by_home", sa.String(6)),
    sa.Column("ready_grant_id", sa.Text),
)

certificate_jobs = _tenant(
    "certificate_jobs",
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("application_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("processed", sa.Integer, nullable=False),
    sa.Column("marked_ready", sa.Integer, nullable=False),
    sa.Column("already_ready", sa.Integer, nullable=False),
    sa.Column("refused", sa.Integer, nullable=False),
    sa.Column("refusals", JSONB, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("requested_by", sa.Text, nullable=False),
    sa.Column("requested_by_home", sa.String(6), nullable=False),
    sa.Column("grant_id", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
)

# A large field-survey file imported by the worker (service_layer.survey_import_jobs).
survey_imports = _tenant(
    "survey_imports",
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("disaster_id", UUID(as_uuid=True), nullable=False),
    sa.Column("file_sha256", sa.Text, nullable=False),
    sa.Column("content", sa.Text),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("cursor", sa.Integer, nullable=False),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("houses_created", sa.Integer, nullable=False),
    sa.Column("surveys_recorded", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("applications_created", sa.Integer, nullable=False),
    sa.Column("errors", JSONB, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("requested_by", sa.Text, nullable=False),
    sa.Column("requested_by_home", sa.String(6), nullable=False),
    sa.Column("grant_id", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
)

residents = _tenant(
    "residents",
    sa.Column("resident_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("resident_number", sa.String(10), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("family_name", sa.Text, nullable=False),
    sa.Column("given_name", sa.Text, nullable=False),
    sa.Column("family_name_kana", sa.Text, nullable=False),
    sa.Column("given_name_kana", sa.Text, nullable=False),
    sa.Column("birth_date", sa.Date),
    sa.Column("household_id", UUID(as_uuid=True)),
    sa.Column("relationship", sa.Text),
    sa.Column("postal_code", sa.String(7), nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("address_key", sa.Text, nullable=False),
    sa.Column("protected", sa.Boolean, nullable=False),
    sa.Column("protected_from", sa.Date),
    sa.Column("protected_until", sa.Date),
    sa.Column("last_event_id", UUID(as_uuid=True), nullable=False),
)

# The shared access log (kyodo_common.audit), with the columns a listing shows.
access_log = sa.Table(
    "access_log", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("municipality_code", sa.String(6)),
    sa.Column("occurred_at", sa.DateTime(timezone=True)),
    sa.Column("actor", sa.Text), sa.Column("actor_home", sa.String(6)),
    sa.Column("acting_municipality", sa.String(6)), sa.Column("purpose", sa.Text),
    sa.Column("action", sa.Text), sa.Column("subject_type", sa.Text),
    sa.Column("subject_id", sa.Text), sa.Column("fields", ARRAY(sa.Text)),
    sa.Column("trace_id", sa.Text), sa.Column("grant_id", sa.Text),
    sa.Column("seq", sa.BigInteger), sa.Column("hash", sa.Text),
)
