"""Tables of the residents service (SQLAlchemy Core; the schema itself is in migrations)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import BYTEA, JSONB, UUID

metadata = sa.MetaData()

residents = sa.Table(
    "residents",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("resident_number", sa.String(10), nullable=False),
    sa.Column("platform_person_id", UUID(as_uuid=True), nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("family_name", sa.Text, nullable=False),
    sa.Column("given_name", sa.Text, nullable=False),
    sa.Column("family_name_kana", sa.Text, nullable=False),
    sa.Column("given_name_kana", sa.Text, nullable=False),
    sa.Column("latin_name", sa.Text),
    sa.Column("birth_date", sa.Date),
    sa.Column("birth_date_partial", sa.Text),
    sa.Column("sex", sa.Text, nullable=False),
    sa.Column("nationality", sa.String(2), nullable=False),
    sa.Column("residence_status", sa.Text),
    sa.Column("residence_card_number", sa.Text),
    sa.Column("stay_until", sa.Date),
    sa.Column("household_id", UUID(as_uuid=True)),
    sa.Column("relationship", sa.Text),
    sa.Column("postal_code", sa.String(7), nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("address_since", sa.Date),
    sa.Column("registered_on", sa.Date, nullable=False),
    sa.Column("became_resident_on", sa.Date),
    sa.Column("previous_address", sa.Text),
    sa.Column("moved_in_from", sa.Text),
    sa.Column("left_on", sa.Date),
    sa.Column("destination", sa.Text),
    sa.Column("protected_from", sa.Date),
    sa.Column("protected_until", sa.Date),
    sa.Column("my_number_cipher", BYTEA),
    sa.Column("my_number_hash", BYTEA),
    sa.Column("kana_full", sa.Text, sa.Computed("family_name_kana || ' ' || given_name_kana")),
    sa.Column("name_full", sa.Text, sa.Computed("family_name || ' ' || given_name")),
    sa.Column("version", sa.Integer, nullable=False),
)

households = sa.Table(
    "households",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("household_number", sa.String(10), nullable=False),
    sa.Column("head_id", UUID(as_uuid=True)),
    sa.Column("postal_code", sa.String(7), nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("formed_on", sa.Date, nullable=False),
    sa.Column("dissolved_on", sa.Date),
    sa.Column("version", sa.Integer, nullable=False),
)

resident_history = sa.Table(
    "resident_history",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("resident_id", UUID(as_uuid=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("effective_date", sa.Date, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("late_filing", sa.Boolean, nullable=False),
    sa.Column("household_id", UUID(as_uuid=True)),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("state", JSONB, nullable=False),
)

household_history = sa.Table(
    "household_history",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("household_id", UUID(as_uuid=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("effective_date", sa.Date, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("state", JSONB, nullable=False),
)

protection_measures = sa.Table(
    "protection_measures",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("resident_id", UUID(as_uuid=True), nullable=False),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("extensions", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

incoming_transfers = sa.Table(
    "incoming_transfers",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("origin_municipality", sa.String(6), nullable=False),
    sa.Column("origin_resident_id", UUID(as_uuid=True), nullable=False),
    sa.Column("planned_move_date", sa.Date, nullable=False),
    sa.Column("moved_out_on", sa.Date, nullable=False),
    sa.Column("destination_address", sa.Text, nullable=False),
    sa.Column("destination_postal_code", sa.String(7), nullable=False),
    sa.Column("resident", JSONB, nullable=False),
    sa.Column("residence_status", sa.Text),
    sa.Column("residence_card_number", sa.Text),
    sa.Column("stay_until", sa.Date),
    sa.Column("completed_resident_id", UUID(as_uuid=True)),
)

resident_serial = sa.Sequence("resident_serial")
household_serial = sa.Sequence("household_serial")
