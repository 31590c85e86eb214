"""Municipalities, staff, signing keys, the outbox, the inbox and idempotency keys.

Revision ID: 0001
"""

from alembic import op

from kyodo_common.db.rls import (
    create_idempotency_keys,
    create_outbox_and_inbox,
    enable_tenant_rls,
    grant_app,
)

revision = "0001"
down_revision = None


def upgrade() -> None:
    # Municipalities are the platform's own table: every tenant must be resolvable at login.
    op.execute(
        """
        CREATE TABLE municipalities (
            code char(6) PRIMARY KEY,
            name text NOT NULL,
            name_en text NOT NULL,
            prefecture text NOT NULL,
            config jsonb NOT NULL DEFAULT '{}'
        )
        """
    )
    grant_app(op, "municipalities", "SELECT, INSERT, UPDATE")
    op.execute(
        """
        CREATE TABLE staff (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL REFERENCES municipalities (code),
            login text NOT NULL,
            password_hash text NOT NULL,
            roles text[] NOT NULL,
            failed_logins integer NOT NULL DEFAULT 0,
            locked_until timestamptz,
            UNIQUE (municipality_code, login)
        )
        """
    )
    enable_tenant_rls(op, "staff")
    grant_app(op, "staff")
    op.execute(
        """
        CREATE TABLE signing_keys (
            kid text PRIMARY KEY,
            private_pem text NOT NULL,
            public_jwk jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            retired_at timestamptz
        )
        """
    )
    grant_app(op, "signing_keys", "SELECT, INSERT, UPDATE")
    create_outbox_and_inbox(op)
    create_idempotency_keys(op)


def downgrade() -> None:
    for table in ("idempotency_keys", "inbox", "outbox", "signing_keys", "staff",
                  "municipalities"):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION outbox_notify()")
