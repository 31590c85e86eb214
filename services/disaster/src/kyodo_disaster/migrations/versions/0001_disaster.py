"""Disasters, damaged houses and their surveys, applications, certificate jobs, the residents
read model, the outbox, the inbox, idempotency keys and the access log.

Revision ID: 0001
"""

from alembic import op

from kyodo_common.db.rls import (
    create_access_log,
    create_idempotency_keys,
    create_job_door,
    create_outbox_and_inbox,
    enable_tenant_rls,
    grant_app,
)

revision = "0001"
down_revision = None

TABLES = {
    "disasters": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        occurred_on date NOT NULL,
        affected_area text[] NOT NULL,
        application_opens_on date NOT NULL,
        application_closes_on date NOT NULL CHECK (application_closes_on > application_opens_on),
        declared_by text NOT NULL,
        declared_by_home char(6) NOT NULL,
        declared_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL""",
    "houses": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        disaster_id uuid NOT NULL REFERENCES disasters (id),
        postal_code char(7) NOT NULL,
        address text NOT NULL,
        address_key text NOT NULL,
        occupant_ids uuid[] NOT NULL DEFAULT '{}',
        survey_version integer NOT NULL DEFAULT 0,
        grade text,
        damage_ratio numeric(5, 2),
        surveyed_on date,
        survey_kind text,
        method text,
        registered_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL,
        UNIQUE (municipality_code, disaster_id, address_key)""",
    # The history of surveys: the app may add rows, never change or remove them.
    "surveys": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        disaster_id uuid NOT NULL,
        house_id uuid NOT NULL REFERENCES houses (id),
        version integer NOT NULL,
        kind text NOT NULL,
        method text NOT NULL,
        damage_ratio numeric(5, 2) NOT NULL CHECK (damage_ratio BETWEEN 0 AND 100),
        grade text NOT NULL,
        surveyed_on date NOT NULL,
        surveyor text NOT NULL,
        surveyor_home char(6) NOT NULL,
        grant_id text,
        survey_ref text,
        appeal_reason text,
        applicant_agrees boolean NOT NULL,
        photos jsonb NOT NULL,
        fingerprint text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (house_id, version),
        UNIQUE (municipality_code, disaster_id, survey_ref)""",
    "applications": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        disaster_id uuid NOT NULL,
        house_id uuid NOT NULL REFERENCES houses (id),
        applicant_resident_id uuid NOT NULL,
        copies integer NOT NULL CHECK (copies BETWEEN 1 AND 20),
        applied_on date NOT NULL,
        status text NOT NULL,
        ready_at timestamptz,
        version integer NOT NULL,
        UNIQUE (house_id, applicant_resident_id)""",
    "certificate_jobs": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        application_ids uuid[] NOT NULL,
        state text NOT NULL,
        total integer NOT NULL,
        processed integer NOT NULL DEFAULT 0,
        marked_ready integer NOT NULL DEFAULT 0,
        already_ready integer NOT NULL DEFAULT 0,
        refused integer NOT NULL DEFAULT 0,
        refusals jsonb NOT NULL DEFAULT '[]',
        attempts integer NOT NULL DEFAULT 0,
        error text,
        requested_by text NOT NULL,
        requested_by_home char(6) NOT NULL,
        grant_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz""",
    # Read model of the register (kyodo.residents.v1): who lives at a damaged house.
    "residents": """
        resident_id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        resident_number varchar(10) NOT NULL,
        version integer NOT NULL,
        status text NOT NULL,
        family_name text NOT NULL,
        given_name text NOT NULL,
        family_name_kana text NOT NULL,
        given_name_kana text NOT NULL,
        birth_date date,
        household_id uuid,
        relationship text,
        postal_code char(7) NOT NULL,
        address text NOT NULL,
        address_key text NOT NULL,
        protected boolean NOT NULL,
        last_event_id uuid NOT NULL""",
}
PRIVILEGES = {"surveys": "SELECT, INSERT", "certificate_jobs": "SELECT, INSERT, UPDATE"}


def upgrade() -> None:
    for table, columns in TABLES.items():
        op.execute(f"CREATE TABLE {table} ({columns})")
        enable_tenant_rls(op, table)
        grant_app(op, table, PRIVILEGES.get(table, "SELECT, INSERT, UPDATE"))
    op.execute("CREATE INDEX houses_disaster ON houses (municipality_code, disaster_id, id)")
    op.execute("CREATE INDEX surveys_house ON surveys (house_id, version)")
    op.execute("CREATE INDEX applications_disaster ON applications "
               "(municipality_code, disaster_id, id)")
    op.execute("CREATE INDEX residents_address ON residents (municipality_code, address_key)")
    op.execute("CREATE INDEX residents_household ON residents (household_id)")
    op.execute("CREATE INDEX residents_number ON residents (municipality_code, resident_number)")
    _runnable_jobs_door()
    create_outbox_and_inbox(op)
    create_idempotency_keys(op)
    create_access_log(op)


def _runnable_jobs_door() -> None:
    create_job_door(op, table="certificate_jobs", function="runnable_certificate_jobs",
                    policy="owner_reads_runnable_jobs", channel="kyodo_disaster_jobs")


def downgrade() -> None:
    op.execute("DROP FUNCTION runnable_certificate_jobs()")
    for table in ("access_log", "idempotency_keys", "inbox", "outbox", *reversed(TABLES)):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION certificate_jobs_notify()")
    op.execute("DROP FUNCTION outbox_notify()")
    op.execute("DROP FUNCTION access_log_append_only()")
