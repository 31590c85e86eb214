"""Revoked access tokens and disabled subjects, and a NOTIFY when grants or revocations change.

The gateway learns of a revoked grant, a disabled staff member or a logout by push within two
seconds (ADR 0003): every identity API process LISTENs on ``kyodo_access`` and wakes the
gateways' streams when a transaction that touched these tables commits.

Revision ID: 0008
"""

from alembic import op

from kyodo_common.db.rls import DEFINER_SEARCH_PATH, enable_tenant_rls, grant_app

revision = "0008"
down_revision = "0007"

CHANNEL = "kyodo_access"


def upgrade() -> None:
    # One row per revoked access token (token_id set: a logout) or per disabled subject
    # (token_id NULL: every token of theirs); kept until the tokens concerned have expired.
    op.execute(
        """
        CREATE TABLE access_revocations (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            subject text NOT NULL,
            token_id text,
            revoked_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL
        )
        """
    )
    op.execute("CREATE UNIQUE INDEX access_revocations_token ON access_revocations (token_id) "
               "WHERE token_id IS NOT NULL")
    op.execute("CREATE INDEX access_revocations_expiry ON access_revocations (expires_at)")
    enable_tenant_rls(op, "access_revocations")
    grant_app(op, "access_revocations", "SELECT, INSERT, DELETE")
    # The gateway needs every tenant's revocations in force: the same narrow door as
    # active_support_grants() (owner-owned SECURITY DEFINER, app role only).
    op.execute(
        """
        CREATE POLICY owner_reads_revocations_in_force ON access_revocations FOR SELECT
        TO CURRENT_USER USING (expires_at > now())
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION access_revocations_in_force()
        RETURNS TABLE (municipality_code text, subject text, token_id text,
                       expires_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {DEFINER_SEARCH_PATH} AS $$
            SELECT municipality_code::text, subject, token_id, expires_at
            FROM public.access_revocations WHERE expires_at > now()
            ORDER BY expires_at, id
        $$
        """  # noqa: S608 - a constant of kyodo_common.db.rls
    )
    op.execute("REVOKE ALL ON FUNCTION access_revocations_in_force() FROM PUBLIC")
    grant_app(op, "FUNCTION access_revocations_in_force()", "EXECUTE")
    op.execute(
        f"""
        CREATE FUNCTION access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$
        """
    )
    op.execute("CREATE TRIGGER support_grants_changed AFTER INSERT OR UPDATE OR DELETE "
               "ON support_grants FOR EACH STATEMENT EXECUTE FUNCTION access_changed()")
    op.execute("CREATE TRIGGER access_revocations_changed AFTER INSERT "
               "ON access_revocations FOR EACH STATEMENT EXECUTE FUNCTION access_changed()")


def downgrade() -> None:
    op.execute("DROP TRIGGER access_revocations_changed ON access_revocations")
    op.execute("DROP TRIGGER support_grants_changed ON support_grants")
    op.execute("DROP FUNCTION access_changed()")
    op.execute("DROP FUNCTION access_revocations_in_force()")
    op.execute("DROP TABLE access_revocations")
