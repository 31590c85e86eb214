"""The register's first tables, the outbox, the inbox and idempotency keys.

Revision ID: 0001
"""

from alembic import op

from kyodo_common.db.rls import (
    create_idempotency_keys,
    create_outbox_and_inbox,
    enable_tenant_rls,
    grant_app,
    grant_app_sequence,
)

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE residents (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            resident_number varchar(10) NOT NULL,
            family_name text NOT NULL,
            given_name text NOT NULL,
            family_name_kana text NOT NULL,
            given_name_kana text NOT NULL,
            birth_date date NOT NULL,
            sex text NOT NULL CHECK (sex IN ('male', 'female')),
            postal_code char(7) NOT NULL,
            address text NOT NULL,
            registered_on date NOT NULL,
            version integer NOT NULL DEFAULT 1,
            UNIQUE (municipality_code, resident_number)
        )
        """
    )
    op.execute("CREATE SEQUENCE resident_serial")
    enable_tenant_rls(op, "residents")
    grant_app(op, "residents")
    grant_app_sequence(op, "resident_serial")
    create_outbox_and_inbox(op)
    create_idempotency_keys(op)


def downgrade() -> None:
    for table in ("idempotency_keys", "inbox", "outbox", "residents"):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION outbox_notify()")
    op.execute("DROP SEQUENCE resident_serial")
