"""Read models kept from other services' events."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

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
)
