"""Tables: read models kept from other services' events, and the certificates issued."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = sa.MetaData()

resident_snapshots = sa.Table(
    "resident_snapshots",
    metadata,
    sa.Column("resident_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("resident_number", sa.String(10), nullable=False),
    sa.Column("family_name", sa.Text, nullable=False),
    sa.Column("given_name", sa.Text, nullable=False),
    sa.Column("family_name_kana", sa.Text, nullable=False),
    sa.Column("given_name_kana", sa.Text, nullable=False),
    sa.Column("birth_date", sa.Date),
    sa.Column("sex", sa.Text, nullable=False),
    sa.Column("postal_code", sa.String(7), nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("registered_on", sa.Date, nullable=False),
    sa.Column("last_event_id", UUID(as_uuid=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("household_id", UUID(as_uuid=True)),
    sa.Column("protected", sa.Boolean, nullable=False),
    sa.Column("state", JSONB, nullable=False),
    # Derived here: the register's events carry the new address only (see the handler).
    sa.Column("previous_address", sa.Text),
)

municipalities = sa.Table(
    "municipalities",
    metadata,
    sa.Column("municipality_code", sa.String(6), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("prefecture", sa.Text, nullable=False),
    sa.Column("mayor_name", sa.Text),
    sa.Column("certificate_fee_yen", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("config", JSONB, nullable=False),
)

tax_assessments = sa.Table(
    "tax_assessments",
    metadata,
    sa.Column("assessment_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("resident_id", UUID(as_uuid=True), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("facts", JSONB, nullable=False),
    # An undeclared dependant's ＊ record: the supporting taxpayer's person (else NULL)
    sa.Column("dependant_of", UUID(as_uuid=True)),
)

damage_assessments = sa.Table(
    "damage_assessments",
    metadata,
    sa.Column("assessment_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("disaster_id", UUID(as_uuid=True), nullable=False),
    sa.Column("resident_id", UUID(as_uuid=True)),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("facts", JSONB, nullable=False),
)

# The disasters the municipality declared (disaster's DisasterDeclared): 被災証明書.
declared_disasters = sa.Table(
    "declared_disasters",
    metadata,
    sa.Column("municipality_code", sa.String(6), primary_key=True),
    sa.Column("disaster_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind_label", sa.Text, nullable=False),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("application_opens_on", sa.Date, nullable=False),
    sa.Column("application_closes_on", sa.Date, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

issue_serials = sa.Table(
    "issue_serials",
    metadata,
    sa.Column("municipality_code", sa.String(6), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("last_serial", sa.Integer, nullable=False),
)

certificates = sa.Table(
    "certificates",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("issuance_id", UUID(as_uuid=True), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("copy_number", sa.Integer, nullable=False),
    sa.Column("serial", sa.Integer, nullable=False),
    sa.Column("issued_on", sa.Date, nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("subject_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
    sa.Column("fields", ARRAY(sa.Text), nullable=False),
    sa.Column("pages", sa.Integer, nullable=False),
    sa.Column("issue_numbers", ARRAY(sa.Text), nullable=False),
    sa.Column("verification_code", sa.Text, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),  # sealed: it may hold 個人番号
    sa.Column("content_signature", sa.LargeBinary, nullable=False),
    sa.Column("pdf_sha256", sa.LargeBinary, nullable=False),
    sa.Column("pdf_signature", sa.LargeBinary, nullable=False),
    sa.Column("key_id", sa.Text, nullable=False),
    sa.Column("pdf", sa.LargeBinary, nullable=False),  # sealed (AES-GCM)
    sa.Column("fee_yen", sa.Integer, nullable=False),
    sa.Column("terminal", sa.Text, nullable=False),
    sa.Column("printer", sa.Text, nullable=False),
    sa.Column("issued_by", sa.Text, nullable=False),
    sa.Column("issued_by_home", sa.String(6)),  # NULL before it was recorded: this town
    sa.Column("grant_id", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("voided_at", sa.DateTime(timezone=True)),
    sa.Column("void_reason", sa.Text),
    sa.Column("assessment_id", UUID(as_uuid=True)),  # 罹災証明書: the house's assessment
    # 罹災証明書 issued from a disaster request: unique with survey_version and copy_number.
    sa.Column("application_id", UUID(as_uuid=True)),
    sa.Column("survey_version", sa.Integer),
)

# 罹災証明書 requested through the disaster service: one per (application, survey version).
damage_issuances = sa.Table(
    "damage_issuances",
    metadata,
    sa.Column("municipality_code", sa.String(6), primary_key=True),
    sa.Column("application_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("survey_version", sa.Integer, primary_key=True),
    sa.Column("assessment_id", UUID(as_uuid=True), nullable=False),
    sa.Column("disaster_id", UUID(as_uuid=True), nullable=False),
    sa.Column("applicant_resident_id", UUID(as_uuid=True), nullable=False),
    sa.Column("copies", sa.Integer, nullable=False),
    sa.Column("job_id", UUID(as_uuid=True)),
    sa.Column("requested_by", sa.Text),
    sa.Column("requested_by_home", sa.String(6)),
    sa.Column("grant_id", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("retry_at", sa.DateTime(timezone=True)),  # deferred until (register not there)
    sa.Column("issuance_id", UUID(as_uuid=True)),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True)),
)

# A platform table (no tenant): the signing keys of every municipality's certificates.
certificate_keys = sa.Table(
    "certificate_keys",
    metadata,
    sa.Column("kid", sa.Text, primary_key=True),
    sa.Column("public_key", sa.LargeBinary, nullable=False),
    sa.Column("private_key", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("retired_at", sa.DateTime(timezone=True)),
)

# Each municipality's chain under the platform root (signing/municipal_keys.py): the issuing
# CA and the document signer, certificates in DER, private keys sealed. Tenant rows (RLS).
municipal_signing_keys = sa.Table(
    "municipal_signing_keys",
    metadata,
    sa.Column("municipality_code", sa.String(6), primary_key=True),
    sa.Column("kid", sa.Text, primary_key=True),
    sa.Column("root_sha256", sa.LargeBinary, nullable=False),
    sa.Column("issuing_certificate", sa.LargeBinary, nullable=False),
    sa.Column("issuing_key", sa.LargeBinary, nullable=False),
    sa.Column("signer_certificate", sa.LargeBinary, nullable=False),
    sa.Column("signer_key", sa.LargeBinary, nullable=False),
    sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
