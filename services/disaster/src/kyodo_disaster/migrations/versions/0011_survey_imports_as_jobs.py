"""A large field-survey file is imported as a job: stored with its import, the worker imports
it chunk by chunk, each chunk's houses, surveys, applications, events and access log committed
with the import's counts and cursor (a restart continues from the cursor). The file (personal
data) is kept only until the import finished or failed.

Revision ID: 0011
"""

from alembic import op

from kyodo_common.db.rls import create_job_door, enable_tenant_rls, grant_app

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE survey_imports (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            disaster_id uuid NOT NULL REFERENCES disasters (id),
            file_sha256 text NOT NULL,
            content text,
            state text NOT NULL CHECK (state IN ('queued', 'running', 'finished', 'failed')),
            total integer NOT NULL,
            cursor integer NOT NULL DEFAULT 0,
            done integer NOT NULL DEFAULT 0,
            houses_created integer NOT NULL DEFAULT 0,
            surveys_recorded integer NOT NULL DEFAULT 0,
            unchanged integer NOT NULL DEFAULT 0,
            applications_created integer NOT NULL DEFAULT 0,
            errors jsonb NOT NULL DEFAULT '[]',
            attempts integer NOT NULL DEFAULT 0,
            error text,
            requested_by text NOT NULL,
            requested_by_home char(6) NOT NULL,
            grant_id text,
            created_at timestamptz NOT NULL DEFAULT now(),
            started_at timestamptz,
            finished_at timestamptz
        )
        """
    )
    enable_tenant_rls(op, "survey_imports")
    grant_app(op, "survey_imports", "SELECT, INSERT, UPDATE")
    create_job_door(op, table="survey_imports", function="runnable_survey_imports",
                    policy="owner_reads_runnable_imports", channel="kyodo_disaster_imports")


def downgrade() -> None:
    op.execute("DROP FUNCTION runnable_survey_imports()")
    op.execute("DROP TABLE survey_imports")
    op.execute("DROP FUNCTION survey_imports_notify()")
