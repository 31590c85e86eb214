"""Migration helpers: tenant row-level security, role grants, the outbox and the inbox.

Roles follow one convention so that migrations need no configuration: a database
``kyodo_x`` is owned by ``kyodo_x_owner``, which runs the migrations, is used at runtime by
``kyodo_x_app`` (not the owner) and its outbox is drained by ``kyodo_x_relay``. None of them is
a superuser or has BYPASSRLS, so FORCE ROW LEVEL SECURITY binds the owner too.
"""

from __future__ import annotations

from typing import Protocol

# Compared as bpchar, the type of the municipality_code columns: compared as text (the type of
# current_setting), the column would be cast and no (municipality_code, …) index could serve
# the policy's condition.
TENANT_PREDICATE = "municipality_code = current_setting('kyodo.municipality', true)::bpchar"
# The tenant policies' names, as enable_tenant_rls and create_outbox_and_inbox create them.
_TENANT_POLICIES = ("tenant_isolation", "tenant_writes")
# Every SECURITY DEFINER function runs with this search_path, whoever calls it: the catalog,
# then the owner's schema (where only the owner creates objects), and the caller's temporary
# schema last (unnamed, PostgreSQL would search it first for tables, where a caller could
# plant one under a name the function uses).
DEFINER_SEARCH_PATH = "pg_catalog, public, pg_temp"


class _Executes(Protocol):
    def execute(self, sqltext: str) -> object: ...


def _for_role(suffix: str, statement_template: str) -> str:
    """Run a statement naming this database's role (role names are data, not literals)."""
    template = statement_template.replace("'", "''")
    return f"DO $$ BEGIN EXECUTE format('{template}', current_database() || '_{suffix}'); END $$;"


def grant_app(
    op: _Executes, table: str, privileges: str = "SELECT, INSERT, UPDATE, DELETE"
) -> None:
    op.execute(_for_role("app", f"GRANT {privileges} ON {table} TO %I"))


def grant_app_sequence(op: _Executes, sequence: str) -> None:
    op.execute(_for_role("app", f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO %I"))


def enable_tenant_rls(op: _Executes, table: str) -> None:
    """Only rows of the transaction's municipality are visible or writable; none without one."""
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})"
    )


def retarget_tenant_policies(op: _Executes) -> None:
    """Rewrite the tenant policies of existing tables with today's TENANT_PREDICATE."""
    predicate = TENANT_PREDICATE.replace("'", "''")  # a constant of this module
    op.execute(
        f"""
        DO $$ DECLARE p record; BEGIN
          FOR p IN SELECT schemaname, tablename, policyname, cmd FROM pg_policies
                   WHERE policyname IN {_TENANT_POLICIES!r} LOOP
            IF p.cmd = 'INSERT' THEN
              EXECUTE format('ALTER POLICY %I ON %I.%I WITH CHECK ({predicate})',
                             p.policyname, p.schemaname, p.tablename);
            ELSE
              EXECUTE format('ALTER POLICY %I ON %I.%I USING ({predicate}) '
                             'WITH CHECK ({predicate})', p.policyname, p.schemaname, p.tablename);
            END IF;
          END LOOP;
        END $$
        """  # noqa: S608
    )


def _notify_on_insert(op: _Executes) -> None:
    """Wake the relay (LISTEN kyodo_outbox) when a statement appends events."""
    op.execute(
        """
        CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('kyodo_outbox', ''); RETURN NULL; END $$
        """
    )
    op.execute(
        "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox "
        "FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()"
    )


def create_outbox_and_inbox(op: _Executes) -> None:
    """The transactional outbox (written with the domain change) and the consumers' inbox."""
    op.execute(
        """
        CREATE TABLE outbox (
            id bigserial PRIMARY KEY,
            event_id uuid NOT NULL UNIQUE,
            municipality_code char(6) NOT NULL,
            topic text NOT NULL,
            key text NOT NULL,
            type text NOT NULL,
            source text NOT NULL,
            subject text,
            time timestamptz NOT NULL,
            traceparent text,
            tracestate text,
            data jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            published_at timestamptz
        )
        """
    )
    op.execute("CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL")
    op.execute("CREATE INDEX outbox_created_at ON outbox (created_at)")
    op.execute("ALTER TABLE outbox ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE outbox FORCE ROW LEVEL SECURITY")
    op.execute(
        _for_role(
            "app",
            f"CREATE POLICY tenant_writes ON outbox FOR INSERT TO %I "
            f"WITH CHECK ({TENANT_PREDICATE})",
        )
    )
    op.execute(
        _for_role(
            "relay",
            "CREATE POLICY relay_drains ON outbox FOR ALL TO %I USING (true) WITH CHECK (true)",
        )
    )
    # The app may only append events; reading them back is the relay's business.
    op.execute(_for_role("app", "GRANT INSERT ON outbox TO %I"))
    op.execute(_for_role("app", "GRANT USAGE ON SEQUENCE outbox_id_seq TO %I"))
    op.execute(_for_role("relay", "GRANT SELECT, UPDATE ON outbox TO %I"))
    _notify_on_insert(op)
    op.execute(
        """
        CREATE TABLE inbox (
            consumer text NOT NULL,
            event_id uuid NOT NULL,
            municipality_code char(6) NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id)
        )
        """
    )
    enable_tenant_rls(op, "inbox")
    grant_app(op, "inbox", "SELECT, INSERT")


# Advisory locks shared by the outbox's trigger and the relay (kyodo_common.events.relay), in
# the two-key space (no clash with the one-key locks elsewhere): the relay holds AWAKE while it
# polls; every transaction that queues events holds WRITING (shared) until it ends.
OUTBOX_WRITING_LOCK = "hashtext('kyodo.outbox'), 1"
OUTBOX_AWAKE_LOCK = "hashtext('kyodo.outbox'), 2"
_WAKE_ON_EVERY_COMMIT = "PERFORM pg_notify('kyodo_outbox', '');"
_WAKE_A_SLEEPING_RELAY = f"""PERFORM pg_advisory_xact_lock_shared({OUTBOX_WRITING_LOCK});
          IF pg_try_advisory_xact_lock_shared({OUTBOX_AWAKE_LOCK}) THEN
            PERFORM pg_notify('kyodo_outbox', '');
          END IF;"""


_OUTBOX_QUEUE_FUNCTION = """
    CREATE OR REPLACE FUNCTION outbox_queue() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = DEFINER_SEARCH_PATH AS $$
    BEGIN
      INSERT INTO outbox_pending (id) SELECT id FROM new_events;
      WAKE
      RETURN NULL;
    END $$
"""


def _outbox_queue_function(wake: str) -> str:
    """The queueing trigger's function; ``wake`` is one of the two constants above."""
    return (_OUTBOX_QUEUE_FUNCTION.replace("WAKE", wake)
            .replace("DEFINER_SEARCH_PATH", DEFINER_SEARCH_PATH))


def queue_outbox_publication(op: _Executes) -> None:
    """Unpublished events are queued in ``outbox_pending`` (their ids); the event rows are
    never updated. Publishing used to set ``outbox.published_at``: an update that could not be
    HOT (the column was in the unpublished-rows index's predicate), so each event was written
    twice, with new entries in the outbox's other indexes and a dead row for vacuum. Now the
    relay deletes the queue's small rows in the statement that claims them.

    An AFTER INSERT trigger queues every new event, whichever statement wrote it, and wakes the
    relay as before; it runs as the table's owner, so the app may append events but not touch
    the queue."""
    op.execute("CREATE TABLE outbox_pending (id bigint PRIMARY KEY)")
    op.execute(_outbox_queue_function(_WAKE_ON_EVERY_COMMIT))
    op.execute("REVOKE ALL ON FUNCTION outbox_queue() FROM PUBLIC")
    op.execute("DROP TRIGGER outbox_notify ON outbox")
    op.execute("DROP FUNCTION outbox_notify()")
    op.execute(
        "CREATE TRIGGER outbox_queue AFTER INSERT ON outbox REFERENCING NEW TABLE AS new_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION outbox_queue()"
    )
    op.execute("INSERT INTO outbox_pending (id) SELECT id FROM outbox WHERE published_at IS NULL")
    op.execute("DROP INDEX outbox_unpublished")
    op.execute("ALTER TABLE outbox DROP COLUMN published_at")
    op.execute(_for_role("relay", "REVOKE UPDATE ON outbox FROM %I"))
    # UPDATE: FOR UPDATE (the claim's row lock) requires it; the table holds ids only.
    op.execute(_for_role("relay", "GRANT SELECT, UPDATE, DELETE ON outbox_pending TO %I"))


def unqueue_outbox_publication(op: _Executes) -> None:
    """Back to ``published_at`` (the downgrade): what was queued is unpublished, the rest is
    marked published at the time of the downgrade (when it was published is not known)."""
    op.execute("ALTER TABLE outbox ADD COLUMN published_at timestamptz")
    op.execute("UPDATE outbox SET published_at = now() "
               "WHERE id NOT IN (SELECT id FROM outbox_pending)")
    op.execute("CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL")
    op.execute("DROP TRIGGER outbox_queue ON outbox")
    op.execute("DROP FUNCTION outbox_queue()")
    _notify_on_insert(op)
    op.execute(_for_role("relay", "GRANT UPDATE ON outbox TO %I"))
    op.execute("DROP TABLE outbox_pending")


def notify_only_a_sleeping_relay(op: _Executes) -> None:
    """The outbox's trigger sends its NOTIFY only when the relay is not polling.

    A transaction that has sent a NOTIFY takes one cluster-wide lock in its commit and holds it
    until its commit record is flushed, so that the notification queue is in commit order:
    every event-writing commit of every service queued behind the one before it (at 200
    registrations/s, convoys of 30-65 ms behind a commit that was slow to finish). While events
    flow the relay polls anyway, holding the AWAKE lock; a writer that finds it held sends
    nothing. The relay falls asleep only when it can take WRITING exclusively, that is once
    every writer that saw it awake has ended, and then publishes once more."""
    op.execute(_outbox_queue_function(_WAKE_A_SLEEPING_RELAY))


def notify_on_every_commit(op: _Executes) -> None:
    """The downgrade of ``notify_only_a_sleeping_relay``."""
    op.execute(_outbox_queue_function(_WAKE_ON_EVERY_COMMIT))


def create_idempotency_keys(op: _Executes) -> None:
    op.execute(
        """
        CREATE TABLE idempotency_keys (
            municipality_code char(6) NOT NULL,
            key text NOT NULL,
            fingerprint text NOT NULL,
            status integer,
            body jsonb,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (municipality_code, key)
        )
        """
    )
    enable_tenant_rls(op, "idempotency_keys")
    grant_app(op, "idempotency_keys", "SELECT, INSERT, UPDATE")


def scope_idempotency_keys_to_callers(op: _Executes) -> None:
    """A key is unique per caller (home municipality and subject) within the acting
    municipality: another clerk's same key is another request (kyodo_common.idempotency).

    Keys claimed before have no caller (''), so they answer nobody's retry any more: a retry
    sent across the upgrade is processed again. The column has no default from then on: a
    claim that does not name its caller fails."""
    op.execute("ALTER TABLE idempotency_keys ADD COLUMN caller text NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey")
    op.execute("ALTER TABLE idempotency_keys ADD PRIMARY KEY (municipality_code, caller, key)")
    op.execute("ALTER TABLE idempotency_keys ALTER COLUMN caller DROP DEFAULT")


def add_reply_headers(op: _Executes) -> None:
    """The headers of a stored answer (Location, ETag): a repeat of the request gets them
    again with the body (kyodo_common.write_pipeline). Answers stored before have none."""
    op.execute("ALTER TABLE idempotency_keys ADD COLUMN headers jsonb")


def drop_reply_headers(op: _Executes) -> None:
    op.execute("ALTER TABLE idempotency_keys DROP COLUMN headers")


def unscope_idempotency_keys(op: _Executes) -> None:
    """The downgrade of ``scope_idempotency_keys_to_callers``: of one key used by several
    callers only the first claim stays (row-level security is lifted for the owner for this
    one statement, which must see every tenant's rows)."""
    op.execute("ALTER TABLE idempotency_keys NO FORCE ROW LEVEL SECURITY")
    op.execute(
        """
        DELETE FROM idempotency_keys k WHERE EXISTS (
            SELECT 1 FROM idempotency_keys o
            WHERE o.municipality_code = k.municipality_code AND o.key = k.key
              AND (o.created_at, o.caller) < (k.created_at, k.caller))
        """
    )
    op.execute("ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey")
    op.execute("ALTER TABLE idempotency_keys DROP COLUMN caller")
    op.execute("ALTER TABLE idempotency_keys ADD PRIMARY KEY (municipality_code, key)")


def create_access_log(op: _Executes) -> None:
    """Append-only for the app; the relay role's sealer fills seq/prev_hash/hash once."""
    op.execute(
        """
        CREATE TABLE access_log (
            id bigserial PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            occurred_at timestamptz NOT NULL,
            actor text NOT NULL,
            actor_home char(6) NOT NULL,
            acting_municipality char(6) NOT NULL,
            purpose text,
            action text NOT NULL,
            subject_type text NOT NULL,
            subject_id text NOT NULL,
            fields text[] NOT NULL DEFAULT '{}',
            trace_id text,
            grant_id text,
            seq bigint,
            prev_hash text,
            hash text,
            UNIQUE (municipality_code, seq)
        )
        """
    )
    op.execute("CREATE INDEX access_log_unsealed ON access_log (municipality_code, id) "
               "WHERE hash IS NULL")
    op.execute("CREATE INDEX access_log_subject ON access_log "
               "(municipality_code, subject_id, occurred_at)")
    enable_tenant_rls(op, "access_log")
    op.execute(_for_role("relay", "CREATE POLICY relay_seals ON access_log FOR ALL TO %I "
                                  "USING (true) WITH CHECK (true)"))
    grant_app(op, "access_log", "SELECT, INSERT")
    grant_app_sequence(op, "access_log_id_seq")
    op.execute(_for_role("relay", "GRANT SELECT, UPDATE (seq, prev_hash, hash) "
                                  "ON access_log TO %I"))
    op.execute(
        """
        CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR OLD.hash IS NOT NULL THEN
                RAISE EXCEPTION 'the access log is append-only';
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute("CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
               "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()")


def create_job_door(op: _Executes, *, table: str, function: str, policy: str, channel: str,
                    notify_on: str = "INSERT") -> None:
    """The one narrow door through which a worker finds every tenant's runnable jobs (ids and
    codes only, for the app role only; as identity's active_support_grants()), and the
    NOTIFY on ``channel`` that wakes it (kyodo_common.jobs)."""
    op.execute(f"CREATE POLICY {policy} ON {table} FOR SELECT TO CURRENT_USER "
               "USING (state IN ('queued', 'running'))")
    op.execute(
        f"""
        CREATE FUNCTION {function}()
        RETURNS TABLE (job_id uuid, municipality_code text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {DEFINER_SEARCH_PATH} AS $$
            SELECT id, municipality_code::text FROM public.{table}
            WHERE state IN ('queued', 'running') ORDER BY created_at, id
        $$
        """  # noqa: S608 - names from the migration, not from input
    )
    op.execute(f"REVOKE ALL ON FUNCTION {function}() FROM PUBLIC")
    grant_app(op, f"FUNCTION {function}()", "EXECUTE")
    op.execute(
        f"""
        CREATE FUNCTION {table}_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('{channel}', ''); RETURN NULL; END $$
        """
    )
    op.execute(f"CREATE TRIGGER {table}_notify AFTER {notify_on} ON {table} "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_notify()")


# 支援措置 (kyodo_common.privacy): today's date in Japan, as the measures' dates are counted.
JAPAN_TODAY = "(now() AT TIME ZONE 'Asia/Tokyo')::date"
# Anything but an explicit 'on' hides: a session that never said who it serves sees nothing.
_SEES_PROTECTED = "current_setting('kyodo.sees_protected', true) = 'on'"


def in_force_today(starts: str, ends: str) -> str:
    """SQL: a measure from ``starts`` to ``ends`` (inclusive) is in force today; never NULL."""
    return f"coalesce({starts} <= {JAPAN_TODAY} AND {JAPAN_TODAY} <= {ends}, false)"


def hide_protected_rows(op: _Executes, table: str, protected_when: str) -> None:
    """A restrictive policy: the rows for which ``protected_when`` (SQL, never NULL) holds are
    invisible, to reads and to the reads inside updates and deletes, unless the transaction's
    caller may see protected people. It binds every statement on the table, so no route, view
    or report can forget it."""
    op.execute(
        f"CREATE POLICY protected_people ON {table} AS RESTRICTIVE FOR SELECT "
        f"USING ({_SEES_PROTECTED} OR NOT {protected_when})"
    )


def show_protected_rows(op: _Executes, table: str) -> None:
    op.execute(f"DROP POLICY protected_people ON {table}")


def pin_definer_search_paths(op: _Executes) -> None:
    """Every SECURITY DEFINER function of the public schema runs with DEFINER_SEARCH_PATH
    (those created before it named pg_temp, or pg_catalog, where PostgreSQL chose)."""
    op.execute(
        f"""
        DO $$ DECLARE f regprocedure; BEGIN
          FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
                   JOIN pg_namespace n ON n.oid = p.pronamespace
                   WHERE n.nspname = 'public' AND p.prosecdef LOOP
            EXECUTE format('ALTER FUNCTION %s SET search_path = {DEFINER_SEARCH_PATH}', f);
          END LOOP;
        END $$
        """  # noqa: S608 - a constant of this module
    )


def owner_policies_to_the_owner(op: _Executes) -> None:
    """Policies written ``TO CURRENT_USER`` for the owner (the doors of the SECURITY DEFINER
    functions, which run as the owner) name the superuser where earlier versions migrated as
    it: they now name the owner, which runs this migration."""
    op.execute(
        """
        DO $$ DECLARE p record; BEGIN
          FOR p IN SELECT pol.polname, c.relname FROM pg_policy pol
                   JOIN pg_class c ON c.oid = pol.polrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = 'public' AND pol.polroles <> '{0}'
                     AND NOT EXISTS (SELECT 1 FROM pg_roles r
                                     WHERE r.oid = ANY (pol.polroles) AND NOT r.rolsuper) LOOP
            EXECUTE format('ALTER POLICY %I ON public.%I TO CURRENT_USER',
                           p.polname, p.relname);
          END LOOP;
        END $$
        """
    )


def owners_not_superusers(op: _Executes) -> None:
    """Once per service chain, after the owner took the database over (the launcher's
    provisioning, as the superuser, hands it every object): pinned search paths, the owner's
    policies, and the relay may queue events again (`kyodo events replay`), which used to be
    done as the superuser."""
    pin_definer_search_paths(op)
    owner_policies_to_the_owner(op)
    op.execute(_for_role("relay", "GRANT INSERT ON outbox_pending TO %I"))


def superusers_not_owners(op: _Executes) -> None:
    """The downgrade of ``owners_not_superusers``: the relay's grant only (the pinned paths
    and the policies naming the owner are right under any version)."""
    op.execute(_for_role("relay", "REVOKE INSERT ON outbox_pending FROM %I"))


def add_access_log_terminal(op: _Executes) -> None:
    """The terminal or client each access came from (kyodo_common.audit)."""
    op.execute("ALTER TABLE access_log ADD COLUMN terminal text")


def drop_access_log_terminal(op: _Executes) -> None:
    op.execute("ALTER TABLE access_log DROP COLUMN terminal")
