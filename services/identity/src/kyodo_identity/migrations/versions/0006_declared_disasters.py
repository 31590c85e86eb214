"""The disasters each municipality declared (from the disaster service's events): an
operator's support grant must name one of the granting town's.

Revision ID: 0006
"""

from alembic import op

from kyodo_common.db.rls import enable_tenant_rls, grant_app

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE declared_disasters (
            disaster_id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            name text NOT NULL,
            occurred_on date NOT NULL,
            version integer NOT NULL
        )
        """
    )
    enable_tenant_rls(op, "declared_disasters")
    grant_app(op, "declared_disasters", "SELECT, INSERT, UPDATE")


def downgrade() -> None:
    op.execute("DROP TABLE declared_disasters")
