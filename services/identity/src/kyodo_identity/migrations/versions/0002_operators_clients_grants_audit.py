"""Operators, staff administration, partner clients, refresh tokens, support grants, audit.

Revision ID: 0002
"""

from alembic import op

from kyodo_common.db.rls import create_access_log, enable_tenant_rls, grant_app

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE municipalities
            ADD COLUMN version integer NOT NULL DEFAULT 1,
            ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
            ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()
        """
    )
    # Operators belong to no municipality: a platform table, like municipalities.
    op.execute(
        """
        CREATE TABLE operators (
            id uuid PRIMARY KEY,
            login text NOT NULL UNIQUE,
            password_hash text NOT NULL,
            failed_logins integer NOT NULL DEFAULT 0,
            locked_until timestamptz,
            disabled_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    grant_app(op, "operators", "SELECT, INSERT, UPDATE")
    op.execute(
        """
        ALTER TABLE staff
            ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
            ADD COLUMN disabled_at timestamptz,
            ADD COLUMN password_changed_at timestamptz,
            ADD COLUMN version integer NOT NULL DEFAULT 1
        """
    )
    op.execute(
        """
        CREATE TABLE api_clients (
            client_id text PRIMARY KEY,
            municipality_code char(6) NOT NULL REFERENCES municipalities (code),
            name text NOT NULL,
            scopes text[] NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            created_by text NOT NULL,
            revoked_at timestamptz
        )
        """
    )
    enable_tenant_rls(op, "api_clients")
    grant_app(op, "api_clients", "SELECT, INSERT, UPDATE")
    op.execute(
        """
        CREATE TABLE client_secrets (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            client_id text NOT NULL REFERENCES api_clients (client_id),
            secret_hash text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz
        )
        """
    )
    op.execute("CREATE INDEX client_secrets_client ON client_secrets (client_id)")
    enable_tenant_rls(op, "client_secrets")
    grant_app(op, "client_secrets", "SELECT, INSERT, UPDATE")
    op.execute(
        """
        CREATE TABLE refresh_tokens (
            token_hash text PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            staff_id uuid NOT NULL REFERENCES staff (id),
            family_id uuid NOT NULL,
            issued_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            used_at timestamptz,
            revoked_at timestamptz
        )
        """
    )
    op.execute("CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)")
    op.execute("CREATE INDEX refresh_tokens_staff ON refresh_tokens (staff_id)")
    enable_tenant_rls(op, "refresh_tokens")
    grant_app(op, "refresh_tokens")
    _create_support_grants()
    create_access_log(op)


def _create_support_grants() -> None:
    # municipality_code is the grantor: the stricken municipality owns (and sees) its grants.
    op.execute(
        """
        CREATE TABLE support_grants (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL REFERENCES municipalities (code),
            grantee_staff_id uuid NOT NULL,
            grantee_municipality char(6) NOT NULL REFERENCES municipalities (code),
            grantee_login text NOT NULL,
            scopes text[] NOT NULL,
            valid_from timestamptz NOT NULL,
            valid_until timestamptz NOT NULL,
            disaster_ref text,
            note text,
            created_at timestamptz NOT NULL DEFAULT now(),
            created_by text NOT NULL,
            revoked_at timestamptz,
            revoked_by text,
            CHECK (valid_until > valid_from),
            CHECK (grantee_municipality <> municipality_code)
        )
        """
    )
    op.execute("CREATE INDEX support_grants_listing ON support_grants "
               "(municipality_code, created_at DESC, id DESC)")
    op.execute("CREATE INDEX support_grants_unrevoked ON support_grants (valid_until) "
               "WHERE revoked_at IS NULL")
    enable_tenant_rls(op, "support_grants")
    grant_app(op, "support_grants", "SELECT, INSERT, UPDATE")
    # The gateway needs every tenant's active grants, but the app role must stay bound by
    # tenant RLS. So the cross-tenant read is one narrow door: a SECURITY DEFINER function
    # owned by the owner, returning only active grants, executable by the app role alone; and
    # a SELECT-only policy for the owner that admits exactly those rows (FORCE RLS binds the
    # owner too). The app role's own policy is unchanged.
    op.execute(
        """
        CREATE POLICY owner_reads_active_grants ON support_grants FOR SELECT TO CURRENT_USER
        USING (revoked_at IS NULL AND valid_from <= now() AND valid_until > now())
        """
    )
    op.execute(
        """
        CREATE FUNCTION active_support_grants()
        RETURNS TABLE (grant_id uuid, grantor_municipality text, grantee_subject text,
                       grantee_municipality text, scopes text[], valid_from timestamptz,
                       valid_until timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
            SELECT id, municipality_code::text, grantee_staff_id::text,
                   grantee_municipality::text, scopes, valid_from, valid_until
            FROM public.support_grants
            WHERE revoked_at IS NULL AND valid_from <= now() AND valid_until > now()
            ORDER BY valid_from, id
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION active_support_grants() FROM PUBLIC")
    grant_app(op, "FUNCTION active_support_grants()", "EXECUTE")


def downgrade() -> None:
    op.execute("DROP TABLE access_log")
    op.execute("DROP FUNCTION access_log_append_only()")
    op.execute("DROP FUNCTION active_support_grants()")
    for table in ("support_grants", "refresh_tokens", "client_secrets", "api_clients",
                  "operators"):
        op.execute(f"DROP TABLE {table}")
    op.execute("ALTER TABLE staff DROP COLUMN created_at, DROP COLUMN disabled_at, "
               "DROP COLUMN password_changed_at, DROP COLUMN version")
    op.execute("ALTER TABLE municipalities DROP COLUMN version, DROP COLUMN created_at, "
               "DROP COLUMN updated_at")
