"""Certificate jobs end "finished", as every other job (kyodo_common.jobs.JOB_STATES): they
said "done", tax's jobs and the survey imports "finished". The states are now checked.

Revision ID: 0012
"""

from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    # The owner is bound by forced row-level security, which would show it no tenant's rows.
    op.execute("ALTER TABLE certificate_jobs NO FORCE ROW LEVEL SECURITY")
    op.execute("UPDATE certificate_jobs SET state = 'finished' WHERE state = 'done'")
    op.execute("ALTER TABLE certificate_jobs FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE certificate_jobs ADD CONSTRAINT certificate_jobs_state_known "
               "CHECK (state IN ('queued', 'running', 'finished', 'failed'))")


def downgrade() -> None:
    op.execute("ALTER TABLE certificate_jobs DROP CONSTRAINT certificate_jobs_state_known")
    op.execute("ALTER TABLE certificate_jobs NO FORCE ROW LEVEL SECURITY")
    op.execute("UPDATE certificate_jobs SET state = 'done' WHERE state = 'finished'")
    op.execute("ALTER TABLE certificate_jobs FORCE ROW LEVEL SECURITY")
