"""A salary-report import is a job: a large file is stored with the import and the worker
imports it chunk by chunk, each chunk committed with its progress (a restart continues from
the cursor). The file is kept only until the import finished.

Revision ID: 0011
"""

from alembic import op

from kyodo_common.db.rls import create_job_door, grant_app

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE salary_imports
            ADD COLUMN state text NOT NULL DEFAULT 'finished'
                CHECK (state IN ('queued', 'running', 'finished', 'failed')),
            ADD COLUMN content bytea,
            ADD COLUMN cursor integer NOT NULL DEFAULT 0,
            ADD COLUMN done integer NOT NULL DEFAULT 0,
            ADD COLUMN attempts integer NOT NULL DEFAULT 0,
            ADD COLUMN error text,
            ADD COLUMN started_at timestamptz,
            ADD COLUMN finished_at timestamptz
        """
    )
    op.execute("UPDATE salary_imports SET done = received")
    grant_app(op, "salary_imports", "UPDATE")
    create_job_door(op, table="salary_imports", function="runnable_salary_imports",
                    policy="owner_reads_runnable_imports", channel="kyodo_tax_imports")


def downgrade() -> None:
    op.execute("DROP TRIGGER salary_imports_notify ON salary_imports")
    op.execute("DROP FUNCTION salary_imports_notify()")
    op.execute("DROP FUNCTION runnable_salary_imports()")
    op.execute("DROP POLICY owner_reads_runnable_imports ON salary_imports")
    op.execute("ALTER TABLE salary_imports DROP COLUMN state, DROP COLUMN content, "
               "DROP COLUMN cursor, DROP COLUMN done, DROP COLUMN attempts, DROP COLUMN error, "
               "DROP COLUMN started_at, DROP COLUMN finished_at")
