"""The counter day's register rules: a 転出 announced for a later day keeps the person a
resident (status 'announced') until that day; 転入前住所 is kept as an address of its own
(a 転居 no longer overwrites it); a transfer notice carries a foreign resident's residence
status and period of stay.

Revision ID: 0010
"""

from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.execute("""
        ALTER TABLE residents DROP CONSTRAINT residents_status_check,
            ADD CONSTRAINT residents_status_check
                CHECK (status IN ('resident', 'announced', 'moved_out', 'dead', 'removed')),
            ADD COLUMN moved_in_from text
    """)
    op.execute("""
        ALTER TABLE incoming_transfers
            ADD COLUMN residence_status text,
            ADD COLUMN residence_card_number text,
            ADD COLUMN stay_until date
    """)


def downgrade() -> None:
    op.execute("""
        ALTER TABLE incoming_transfers DROP COLUMN residence_status,
            DROP COLUMN residence_card_number, DROP COLUMN stay_until
    """)
    op.execute("UPDATE residents SET status = 'moved_out' WHERE status = 'announced'")
    op.execute("""
        ALTER TABLE residents DROP COLUMN moved_in_from,
            DROP CONSTRAINT residents_status_check,
            ADD CONSTRAINT residents_status_check
                CHECK (status IN ('resident', 'moved_out', 'dead', 'removed'))
    """)
