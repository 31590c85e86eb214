"""Each municipality's signing chain for the PDFs' PAdES signatures (ADR 0014).

Revision ID: 0014
"""

from alembic import op

from kyodo_common.db.rls import enable_tenant_rls, grant_app

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE municipal_signing_keys (
            municipality_code char(6) NOT NULL,
            kid text NOT NULL,
            root_sha256 bytea NOT NULL,
            issuing_certificate bytea NOT NULL,
            issuing_key bytea NOT NULL,
            signer_certificate bytea NOT NULL,
            signer_key bytea NOT NULL,
            not_after timestamptz NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (municipality_code, kid)
        )
        """
    )
    enable_tenant_rls(op, "municipal_signing_keys")
    # Keys are added, never changed: a renewal is a new row.
    grant_app(op, "municipal_signing_keys", "SELECT, INSERT")


def downgrade() -> None:
    op.execute("DROP TABLE municipal_signing_keys")
