"""The damage assessment (house) a 罹災証明書 was issued for, so a re-survey can void it.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("ALTER TABLE certificates ADD COLUMN assessment_id uuid")
    op.execute("CREATE INDEX certificates_assessment ON certificates (assessment_id) "
               "WHERE assessment_id IS NOT NULL")


def downgrade() -> None:
    op.execute("DROP INDEX certificates_assessment")
    op.execute("ALTER TABLE certificates DROP COLUMN assessment_id")
