"""Subscriptions, their deliveries (the queue and the delivery log), the measures of 支援措置
the fan-out checks, the inbox, idempotency keys and the access log.

Revision ID: 0001
"""

from alembic import op

from kyodo_common.db.rls import (
    DEFINER_SEARCH_PATH,
    add_access_log_terminal,
    create_access_log,
    create_idempotency_keys,
    create_outbox_and_inbox,
    enable_tenant_rls,
    grant_app,
    notify_only_a_sleeping_relay,
    owners_not_superusers,
    queue_outbox_publication,
    scope_idempotency_keys_to_callers,
)

revision = "0001"
down_revision = None

TABLES = {
    # A partner's subscription to one municipality's events. Rows belong to the municipality
    # whose data they announce: its admin sees and ends them.
    "subscriptions": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        owner_subject text NOT NULL,
        owner_home char(6) NOT NULL,
        owner_kind text NOT NULL,
        grant_id text,
        scopes text[] NOT NULL,
        event_types text[] NOT NULL,
        filters jsonb NOT NULL DEFAULT '{}',
        callback_url text NOT NULL,
        description text,
        state text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        secret bytea NOT NULL,
        previous_secret bytea,
        previous_secret_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        approved_by text,
        approved_at timestamptz,
        ended_by text,
        ended_at timestamptz,
        failures integer NOT NULL DEFAULT 0,
        failing_since timestamptz,
        retry_at timestamptz,
        lease_owner text,
        lease_until timestamptz,
        last_success_at timestamptz,
        last_error text""",
    # One message to one subscription: the queue and, with its attempts, the delivery log.
    # Its id is the webhook-id the receiver deduplicates by.
    "deliveries": """
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        municipality_code char(6) NOT NULL,
        subscription_id uuid NOT NULL REFERENCES subscriptions (id),
        event_id text NOT NULL,
        event_type text NOT NULL,
        event_time timestamptz NOT NULL,
        service text NOT NULL,
        -- the resource's path after /v1/municipalities/{code}/ (ids only): the notification's
        -- subject is its URL at the platform's public address
        subject text NOT NULL,
        state text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        dead_at timestamptz,
        last_status integer,
        last_error text,
        UNIQUE (subscription_id, event_id)""",
    "delivery_attempts": """
        delivery_id uuid NOT NULL REFERENCES deliveries (id),
        attempt integer NOT NULL,
        municipality_code char(6) NOT NULL,
        subscription_id uuid NOT NULL,
        at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        status integer,
        outcome text NOT NULL,
        reason text,
        PRIMARY KEY (delivery_id, attempt)""",
    # 支援措置 of the town's residents (ids and the measure's dates, nothing else), from the
    # register's events: tax and disaster events name people by id only.
    "protected_people": """
        municipality_code char(6) NOT NULL,
        resident_id uuid NOT NULL,
        platform_person_id uuid NOT NULL,
        version integer NOT NULL,
        protected boolean NOT NULL,
        protected_from date,
        protected_until date,
        PRIMARY KEY (municipality_code, resident_id)""",
}
PRIVILEGES = {"delivery_attempts": "SELECT, INSERT"}


def upgrade() -> None:
    for table, columns in TABLES.items():
        op.execute(f"CREATE TABLE {table} ({columns})")
        enable_tenant_rls(op, table)
        grant_app(op, table, PRIVILEGES.get(table, "SELECT, INSERT, UPDATE"))
    op.execute(_app_sequence())
    op.execute("CREATE INDEX subscriptions_types ON subscriptions USING gin (event_types) "
               "WHERE state IN ('active', 'paused')")
    op.execute("CREATE INDEX subscriptions_owner ON subscriptions "
               "(municipality_code, owner_subject, created_at)")
    # The queue in order, and a subject's earlier pending message (per-subject order).
    op.execute("CREATE INDEX deliveries_pending ON deliveries (subscription_id, seq) "
               "WHERE state = 'pending'")
    op.execute("CREATE INDEX deliveries_pending_subject ON deliveries "
               "(subscription_id, subject, seq) WHERE state = 'pending'")
    op.execute("CREATE INDEX deliveries_log ON deliveries (subscription_id, seq DESC)")
    op.execute("CREATE INDEX protected_people_person ON protected_people "
               "(municipality_code, platform_person_id)")
    _claim_door()
    create_outbox_and_inbox(op)
    create_idempotency_keys(op)
    create_access_log(op)
    queue_outbox_publication(op)
    notify_only_a_sleeping_relay(op)
    owners_not_superusers(op)
    scope_idempotency_keys_to_callers(op)
    add_access_log_terminal(op)


def _app_sequence() -> str:
    return ("DO $$ BEGIN EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE deliveries_seq_seq "
            "TO %I', current_database() || '_app'); END $$;")


def _claim_door() -> None:
    """The one door through which a worker finds every tenant's subscriptions with a message
    due, and takes a lease on them (SKIP LOCKED: two workers never serve one subscription; a
    subscription being served does not hold up the claim of the others)."""
    op.execute("CREATE POLICY owner_claims_subscriptions ON subscriptions FOR ALL "
               "TO CURRENT_USER USING (state = 'active') WITH CHECK (state = 'active')")
    op.execute("CREATE POLICY owner_reads_pending ON deliveries FOR SELECT TO CURRENT_USER "
               "USING (state = 'pending')")
    op.execute(
        f"""
        CREATE FUNCTION claim_subscriptions(worker text, lease_seconds double precision,
                                            max_count integer, busy uuid[])
        RETURNS TABLE (subscription_id uuid, municipality_code text)
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = {DEFINER_SEARCH_PATH} AS $$
            UPDATE public.subscriptions s
               SET lease_owner = worker,
                   lease_until = now() + make_interval(secs => lease_seconds)
             WHERE s.id IN (
                SELECT c.id FROM public.subscriptions c
                 WHERE c.state = 'active'
                   AND (c.retry_at IS NULL OR c.retry_at <= now())
                   AND (c.lease_until IS NULL OR c.lease_until < now()
                        OR c.lease_owner = worker)
                   AND NOT (c.id = ANY (busy))
                   AND EXISTS (SELECT 1 FROM public.deliveries d
                                WHERE d.subscription_id = c.id AND d.state = 'pending'
                                  AND (d.next_attempt_at <= now() OR c.failures > 0))
                 ORDER BY c.retry_at NULLS FIRST, c.id
                 LIMIT max_count
                 FOR UPDATE SKIP LOCKED)
            RETURNING s.id, s.municipality_code::text
        $$
        """  # noqa: S608 - constants of this module
    )
    op.execute("REVOKE ALL ON FUNCTION claim_subscriptions(text, double precision, integer, "
               "uuid[]) FROM PUBLIC")
    grant_app(op, "FUNCTION claim_subscriptions(text, double precision, integer, uuid[])",
              "EXECUTE")
    op.execute(
        """
        CREATE FUNCTION deliveries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('kyodo_webhooks_deliveries', ''); RETURN NULL; END $$
        """
    )
    op.execute("CREATE TRIGGER deliveries_notify AFTER INSERT ON deliveries "
               "FOR EACH STATEMENT EXECUTE FUNCTION deliveries_notify()")
    op.execute("CREATE TRIGGER subscriptions_notify AFTER UPDATE OF state ON subscriptions "
               "FOR EACH STATEMENT EXECUTE FUNCTION deliveries_notify()")


def downgrade() -> None:
    op.execute("DROP FUNCTION claim_subscriptions(text, double precision, integer, uuid[])")
    for table in ("access_log", "idempotency_keys", "inbox", "outbox_pending", "outbox",
                  *reversed(TABLES)):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    op.execute("DROP FUNCTION deliveries_notify()")
