"""Certificates issued, issue serials, the signing keys, the municipalities, tax and damage
read models, the derived previous address, and the access log.

Revision ID: 0003
"""

from alembic import op

from kyodo_common.db.rls import create_access_log, enable_tenant_rls, grant_app

revision = "0003"
down_revision = "0002"

_TENANT_TABLES = {
    "municipalities": """
        municipality_code char(6) PRIMARY KEY,
        name text NOT NULL,
        prefecture text NOT NULL,
        mayor_name text,
        certificate_fee_yen integer NOT NULL,
        version integer NOT NULL,
        config jsonb NOT NULL""",
    "tax_assessments": """
        assessment_id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        resident_id uuid NOT NULL,
        fiscal_year integer NOT NULL,
        version integer NOT NULL,
        facts jsonb NOT NULL""",
    "damage_assessments": """
        assessment_id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        disaster_id uuid NOT NULL,
        resident_id uuid,
        version integer NOT NULL,
        facts jsonb NOT NULL""",
    "issue_serials": """
        municipality_code char(6) NOT NULL,
        day date NOT NULL,
        last_serial integer NOT NULL,
        PRIMARY KEY (municipality_code, day)""",
    "certificates": """
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        issuance_id uuid NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        copy_number integer NOT NULL,
        serial integer NOT NULL,
        issued_on date NOT NULL,
        issued_at timestamptz NOT NULL,
        subject_ids uuid[] NOT NULL,
        fields text[] NOT NULL,
        pages integer NOT NULL,
        issue_numbers text[] NOT NULL,
        verification_code text NOT NULL,
        content bytea NOT NULL,
        content_signature bytea NOT NULL,
        pdf_sha256 bytea NOT NULL,
        pdf_signature bytea NOT NULL,
        key_id text NOT NULL,
        pdf bytea NOT NULL,
        fee_yen integer NOT NULL,
        terminal text NOT NULL,
        printer text NOT NULL,
        issued_by text NOT NULL,
        status text NOT NULL,
        voided_at timestamptz,
        void_reason text,
        UNIQUE (municipality_code, verification_code),
        UNIQUE (municipality_code, issued_on, serial)""",
}


def upgrade() -> None:
    op.execute("ALTER TABLE resident_snapshots ADD COLUMN previous_address text")
    for table, columns in _TENANT_TABLES.items():
        op.execute(f"CREATE TABLE {table} ({columns})")
        enable_tenant_rls(op, table)
    grant_app(op, "municipalities", "SELECT, INSERT, UPDATE")
    grant_app(op, "tax_assessments", "SELECT, INSERT, UPDATE")
    grant_app(op, "damage_assessments", "SELECT, INSERT, UPDATE")
    grant_app(op, "issue_serials", "SELECT, INSERT, UPDATE")
    # Issued certificates are never deleted; voiding updates their status.
    grant_app(op, "certificates", "SELECT, INSERT, UPDATE")
    op.execute("CREATE INDEX tax_assessments_person ON tax_assessments "
               "(municipality_code, resident_id, fiscal_year)")
    op.execute("CREATE INDEX certificates_issuance ON certificates (issuance_id)")
    op.execute(
        """
        CREATE TABLE certificate_keys (
            kid text PRIMARY KEY,
            public_key bytea NOT NULL,
            private_key bytea NOT NULL,
            created_at timestamptz NOT NULL,
            retired_at timestamptz
        )
        """
    )
    grant_app(op, "certificate_keys", "SELECT, INSERT")
    create_access_log(op)


def downgrade() -> None:
    op.execute("DROP TABLE access_log")
    op.execute("DROP FUNCTION access_log_append_only()")
    op.execute("DROP TABLE certificate_keys")
    for table in reversed(list(_TENANT_TABLES)):
        op.execute(f"DROP TABLE {table}")
    op.execute("ALTER TABLE resident_snapshots DROP COLUMN previous_address")
