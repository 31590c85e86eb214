"""The automation tables as SQLAlchemy Core sees them (the migration creates them)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, BYTEA, JSONB, UUID

metadata = sa.MetaData()

scenario_accounts = sa.Table(
    "scenario_accounts", metadata,
    sa.Column("municipality_code", sa.String, primary_key=True),
    sa.Column("scenario", sa.String, primary_key=True),
    sa.Column("client_id", sa.String), sa.Column("client_secret", BYTEA),
    sa.Column("scopes", ARRAY(sa.String)), sa.Column("granted_by", sa.String),
    sa.Column("granted_at", sa.DateTime(timezone=True)))

scenario_versions = sa.Table(
    "scenario_versions", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String), sa.Column("scenario", sa.String),
    sa.Column("version", sa.Integer), sa.Column("source", sa.Text),
    sa.Column("definition", JSONB), sa.Column("title", sa.String),
    sa.Column("trigger_kind", sa.String), sa.Column("event_types", ARRAY(sa.String)),
    sa.Column("minutes_per_item", sa.Numeric), sa.Column("scopes_needed", ARRAY(sa.String)),
    sa.Column("created_by", sa.String), sa.Column("created_at", sa.DateTime(timezone=True)))

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String), sa.Column("scenario", sa.String),
    sa.Column("version", sa.Integer), sa.Column("state", sa.String),
    sa.Column("trigger", sa.String), sa.Column("inputs", JSONB), sa.Column("outputs", JSONB),
    sa.Column("items_done", sa.Integer), sa.Column("items_failed", sa.Integer),
    sa.Column("minutes_per_item", sa.Numeric), sa.Column("error", sa.Text),
    sa.Column("failed_step", sa.String), sa.Column("attempts", sa.Integer),
    sa.Column("trace_id", sa.String), sa.Column("started_by", sa.String),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)))

run_steps = sa.Table(
    "run_steps", metadata,
    sa.Column("run_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("municipality_code", sa.String), sa.Column("kind", sa.String),
    sa.Column("status", sa.String), sa.Column("step", sa.String), sa.Column("item", sa.Integer),
    sa.Column("input", JSONB), sa.Column("output", JSONB), sa.Column("error", sa.Text),
    sa.Column("trace_id", sa.String), sa.Column("recorded_at", sa.DateTime(timezone=True)))

human_queue = sa.Table(
    "human_queue", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String), sa.Column("run_id", UUID(as_uuid=True)),
    sa.Column("scenario", sa.String), sa.Column("key", sa.String), sa.Column("kind", sa.String),
    sa.Column("step", sa.String), sa.Column("item", sa.Integer), sa.Column("reason", sa.Text),
    sa.Column("data", JSONB), sa.Column("state", sa.String), sa.Column("decision", sa.String),
    sa.Column("note", sa.Text), sa.Column("decided_by", sa.String),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True)))

schedule_slots = sa.Table(
    "schedule_slots", metadata,
    sa.Column("municipality_code", sa.String, primary_key=True),
    sa.Column("scenario", sa.String, primary_key=True),
    sa.Column("slot", sa.String, primary_key=True), sa.Column("run_id", UUID(as_uuid=True)),
    sa.Column("created_at", sa.DateTime(timezone=True)))
