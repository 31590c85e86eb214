"""Scenario accounts and versions, runs and their steps, the human queue, the outbox, the
inbox, idempotency keys and the access log.

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
    # The scenario's service account: an identity API client whose scopes the admin granted.
    "scenario_accounts": """
        municipality_code char(6) NOT NULL,
        scenario text NOT NULL,
        client_id text NOT NULL,
        client_secret bytea NOT NULL,
        scopes text[] NOT NULL,
        granted_by text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (municipality_code, scenario)""",
    "scenario_versions": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        scenario text NOT NULL,
        version integer NOT NULL,
        source text NOT NULL,
        definition jsonb NOT NULL,
        title text NOT NULL,
        trigger_kind text NOT NULL,
        event_types text[] NOT NULL DEFAULT '{}',
        minutes_per_item numeric(8, 2) NOT NULL,
        scopes_needed text[] NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (municipality_code, scenario, version)""",
    "runs": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        scenario text NOT NULL,
        version integer NOT NULL,
        state text NOT NULL,
        trigger text NOT NULL,
        inputs jsonb NOT NULL,
        outputs jsonb,
        items_done integer NOT NULL DEFAULT 0,
        items_failed integer NOT NULL DEFAULT 0,
        minutes_per_item numeric(8, 2) NOT NULL,
        error text,
        failed_step text,
        attempts integer NOT NULL DEFAULT 0,
        trace_id text,
        started_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz""",
    # What each step of a run did: the journal a resumed run is replayed against.
    "run_steps": """
        run_id uuid NOT NULL REFERENCES runs (id),
        municipality_code char(6) NOT NULL,
        key text NOT NULL,
        kind text NOT NULL,
        status text NOT NULL,
        step text NOT NULL,
        item integer,
        input jsonb,
        output jsonb,
        error text,
        trace_id text,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (run_id, key)""",
    # 人の判断待ち: rows that failed their checks, refused calls, approvals.
    "human_queue": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        run_id uuid NOT NULL REFERENCES runs (id),
        scenario text NOT NULL,
        key text NOT NULL,
        kind text NOT NULL,
        step text NOT NULL,
        item integer,
        reason text NOT NULL,
        data jsonb,
        state text NOT NULL DEFAULT 'open',
        decision text,
        note text,
        decided_by text,
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (run_id, key)""",
    # One run per due moment of a schedule, however many workers look at it.
    "schedule_slots": """
        municipality_code char(6) NOT NULL,
        scenario text NOT NULL,
        slot text NOT NULL,
        run_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (municipality_code, scenario, slot)""",
}
PRIVILEGES = {"schedule_slots": "SELECT, INSERT", "scenario_versions": "SELECT, INSERT",
              "scenario_accounts": "SELECT, INSERT, UPDATE"}


def upgrade() -> None:
    for table, columns in TABLES.items():
        op.execute(f"CREATE TABLE {table} ({columns})")
        enable_tenant_rls(op, table)
        grant_app(op, table, PRIVILEGES.get(table, "SELECT, INSERT, UPDATE"))
    op.execute("CREATE INDEX runs_month ON runs (municipality_code, finished_at)")
    op.execute("CREATE INDEX runs_scenario ON runs (municipality_code, scenario, created_at)")
    op.execute("CREATE INDEX human_queue_open ON human_queue "
               "(municipality_code, state, created_at)")
    op.execute("CREATE INDEX versions_event ON scenario_versions USING gin (event_types)")
    _runnable_runs_door()
    _scheduled_scenarios_door()
    create_outbox_and_inbox(op)
    create_idempotency_keys(op)
    create_access_log(op)


def _runnable_runs_door() -> None:
    create_job_door(op, table="runs", function="runnable_runs", policy="owner_reads_runnable_runs",
                    channel="kyodo_automation_runs", notify_on="INSERT OR UPDATE OF state")


def _scheduled_scenarios_door() -> None:
    """The scheduler finds every tenant's scheduled scenarios (codes and names only)."""
    op.execute("CREATE POLICY owner_reads_versions ON scenario_versions FOR SELECT "
               "TO CURRENT_USER USING (true)")
    op.execute(
        """
        CREATE FUNCTION scheduled_scenarios()
        RETURNS TABLE (municipality_code text, scenario text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
            SELECT municipality_code, scenario FROM (
                SELECT DISTINCT ON (municipality_code, scenario)
                       municipality_code::text, scenario, trigger_kind
                FROM public.scenario_versions
                ORDER BY municipality_code, scenario, version DESC) latest
            WHERE trigger_kind = 'schedule'
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION scheduled_scenarios() FROM PUBLIC")
    grant_app(op, "FUNCTION scheduled_scenarios()", "EXECUTE")


def downgrade() -> None:
    op.execute("DROP FUNCTION scheduled_scenarios()")
    op.execute("DROP FUNCTION runnable_runs()")
    for table in ("access_log", "idempotency_keys", "inbox", "outbox", *reversed(TABLES)):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION runs_notify()")
    op.execute("DROP FUNCTION outbox_notify()")
    op.execute("DROP FUNCTION access_log_append_only()")
