"""The residents read model, the outbox, the inbox and idempotency keys.

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
    op.execute(
        """
        CREATE TABLE resident_snapshots (
            resident_id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            resident_number varchar(10) NOT NULL,
            family_name text NOT NULL,
            given_name text NOT NULL,
            family_name_kana text NOT NULL,
            given_name_kana text NOT NULL,
            birth_date date NOT NULL,
            sex text NOT NULL,
            postal_code char(7) NOT NULL,
            address text NOT NULL,
            registered_on date NOT NULL,
            last_event_id uuid NOT NULL
        )
        """
    )
    enable_tenant_rls(op, "resident_snapshots")
    grant_app(op, "resident_snapshots")
    create_outbox_and_inbox(op)
    create_idempotency_keys(op)


def downgrade() -> None:
    for table in ("idempotency_keys", "inbox", "outbox", "resident_snapshots"):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION outbox_notify()")
