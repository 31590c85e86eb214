"""The disasters each municipality declared, from the disaster service's DisasterDeclared: the
被災証明書 names its disaster and is applied for within the disaster's window.

Revision ID: 0015
"""

from alembic import op

from kyodo_common.db.rls import enable_tenant_rls, grant_app

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE declared_disasters (
            municipality_code char(6) NOT NULL,
            disaster_id uuid NOT NULL,
            name text NOT NULL,
            kind_label text NOT NULL,
            occurred_on date NOT NULL,
            application_opens_on date NOT NULL,
            application_closes_on date NOT NULL,
            version integer NOT NULL,
            PRIMARY KEY (municipality_code, disaster_id)
        )
        """
    )
    enable_tenant_rls(op, "declared_disasters")
    grant_app(op, "declared_disasters", "SELECT, INSERT, UPDATE")


def downgrade() -> None:
    op.execute("DROP TABLE declared_disasters")
