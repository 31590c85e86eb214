"""Search by 氏名: the name as registered, 氏 and 名 joined by a space, with an index for its
prefix (the counter finds a person by the kanji it reads off a form, issue #19).

A stored column, not an index on the expression: ``||`` is not leakproof, and under the
register's forced row-level security PostgreSQL does not use an index for a condition that is
not, so ``starts_with`` on the expression would scan every row of the municipality. Adding it
rewrites the table once (as kana_full did in 0002).

Revision ID: 0013
"""

from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.execute("ALTER TABLE residents ADD COLUMN name_full text GENERATED ALWAYS AS "
               "(family_name || ' ' || given_name) STORED")
    # The database runs in the C locale: a plain btree serves starts_with, as residents_kana.
    op.execute("CREATE INDEX residents_name ON residents (municipality_code, name_full)")


def downgrade() -> None:
    op.execute("DROP INDEX residents_name")
    op.execute("ALTER TABLE residents DROP COLUMN name_full")
