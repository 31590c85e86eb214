"""Tables of the residents service (SQLAlchemy Core; the schema itself is in migrations)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

metadata = sa.MetaData()

residents = sa.Table(
    "residents",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("resident_number", sa.String(10), nullable=False),
    sa.Column("family_name", sa.Text, nullable=False),
    sa.Column("given_name", sa.Text, nullable=False),
    sa.Column("family_name_kana", sa.Text, nullable=False),
    sa.Column("given_name_kana", sa.Text, nullable=False),
    sa.Column("birth_date", sa.Date, nullable=False),
    sa.Column("sex", sa.Text, nullable=False),
    sa.Column("postal_code", sa.String(7), nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("registered_on", sa.Date, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

resident_serial = sa.Sequence("resident_serial")
