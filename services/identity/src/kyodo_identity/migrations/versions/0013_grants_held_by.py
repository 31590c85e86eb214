"""GET /v1/auth/me reads only the caller's own grants in force: a second narrow door beside
active_support_grants(), filtered by the grantee in SQL and served by an index, so the cost
does not grow with the number of municipalities or of grants.

Like active_support_grants(), it is owned by the owner (SECURITY DEFINER), reads through the
owner's policy that admits grants in force only, and is executable by the app role alone.

Revision ID: 0013
"""

from alembic import op

from kyodo_common.db.rls import DEFINER_SEARCH_PATH, grant_app

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.execute("CREATE INDEX support_grants_grantee ON support_grants (grantee_staff_id) "
               "WHERE revoked_at IS NULL")
    op.execute(
        f"""
        CREATE FUNCTION support_grants_held_by(holder uuid, home char(6))
        RETURNS TABLE (grant_id uuid, grantor_municipality text, scopes text[],
                       valid_from timestamptz, valid_until timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {DEFINER_SEARCH_PATH} AS $$
            SELECT id, municipality_code::text, scopes, valid_from, valid_until
            FROM public.support_grants
            WHERE grantee_staff_id = holder AND grantee_municipality = home
              AND revoked_at IS NULL AND valid_from <= now() AND valid_until > now()
            ORDER BY valid_until, municipality_code
        $$
        """  # noqa: S608 - a constant of kyodo_common.db.rls
    )
    op.execute("REVOKE ALL ON FUNCTION support_grants_held_by(uuid, char) FROM PUBLIC")
    grant_app(op, "FUNCTION support_grants_held_by(uuid, char)", "EXECUTE")


def downgrade() -> None:
    op.execute("DROP FUNCTION support_grants_held_by(uuid, char)")
    op.execute("DROP INDEX support_grants_grantee")
