"""The residents read model keeps each resident's whole state and its version.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE resident_snapshots
            ALTER COLUMN birth_date DROP NOT NULL,
            ADD COLUMN version integer NOT NULL DEFAULT 1,
            ADD COLUMN status text NOT NULL DEFAULT 'resident',
            ADD COLUMN household_id uuid,
            ADD COLUMN protected boolean NOT NULL DEFAULT false,
            ADD COLUMN state jsonb NOT NULL DEFAULT '{}'
        """
    )
    op.execute("CREATE INDEX resident_snapshots_household ON resident_snapshots (household_id)")


def downgrade() -> None:
    op.execute("DROP INDEX resident_snapshots_household")
    for column in ("version", "status", "household_id", "protected", "state"):
        op.execute(f"ALTER TABLE resident_snapshots DROP COLUMN {column}")
