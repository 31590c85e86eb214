"""Who made an application ready (the certificate job and its requester): carried in the
house events' requests so certificates records the issuance as that person's act.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"

COLUMNS = ("ready_job_id uuid", "ready_by text", "ready_by_home char(6)", "ready_grant_id text")


def upgrade() -> None:
    for column in COLUMNS:
        op.execute(f"ALTER TABLE applications ADD COLUMN {column}")


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.execute(f"ALTER TABLE applications DROP COLUMN {column.split()[0]}")
