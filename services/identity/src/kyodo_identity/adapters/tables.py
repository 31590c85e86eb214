"""Tables of the identity service (SQLAlchemy Core; the schema itself is in migrations)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, BYTEA, JSONB, UUID

metadata = sa.MetaData()

municipalities = sa.Table(
    "municipalities", metadata,
    sa.Column("code", sa.String(6), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_en", sa.Text, nullable=False),
    sa.Column("prefecture", sa.Text, nullable=False),
    sa.Column("config", JSONB, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

operators = sa.Table(
    "operators", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("login", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("disabled_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

staff = sa.Table(
    "staff", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("login", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("roles", ARRAY(sa.Text), nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("disabled_at", sa.DateTime(timezone=True)),
    sa.Column("password_changed_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False),
)

api_clients = sa.Table(
    "api_clients", metadata,
    sa.Column("client_id", sa.Text, primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("scopes", ARRAY(sa.Text), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

client_secrets = sa.Table(
    "client_secrets", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("client_id", sa.Text, nullable=False),
    sa.Column("secret_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True)),
)

refresh_tokens = sa.Table(
    "refresh_tokens", metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("staff_id", UUID(as_uuid=True), nullable=False),
    sa.Column("family_id", UUID(as_uuid=True), nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

support_grants = sa.Table(
    "support_grants", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("grantee_staff_id", UUID(as_uuid=True), nullable=False),
    sa.Column("grantee_municipality", sa.String(6), nullable=False),
    sa.Column("grantee_login", sa.Text, nullable=False),
    sa.Column("scopes", ARRAY(sa.Text), nullable=False),
    sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
    sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
    sa.Column("disaster_ref", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_by", sa.Text),
)

signing_keys = sa.Table(
    "signing_keys", metadata,
    sa.Column("kid", sa.Text, primary_key=True),
    # Sealed PKCS#8 PEM (kyodo_identity.service_layer.keys): never plaintext at rest.
    sa.Column("private_key", BYTEA, nullable=False),
    sa.Column("public_jwk", JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # When the key leaves the JWKS; set in the future at rotation, NULL while it signs.
    sa.Column("retired_at", sa.DateTime(timezone=True)),
)

# The disasters each municipality declared, from the disaster service's events.
declared_disasters = sa.Table(
    "declared_disasters",
    metadata,
    sa.Column("disaster_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

# A logout (token_id set) or a disabled subject (token_id NULL), until its tokens expire.
access_revocations = sa.Table(
    "access_revocations", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("token_id", sa.Text),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)
