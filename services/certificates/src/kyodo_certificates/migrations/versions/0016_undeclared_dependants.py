"""課税 read model: the ＊ records of undeclared dependants, derived from their supporter's
assessment (DOMAIN.md §5). `dependant_of` names the supporting taxpayer's person; a newer
version of that taxpayer's assessment replaces or takes back (deletes) these records.

Revision ID: 0016
"""

from alembic import op

from kyodo_common.db.rls import grant_app

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    op.execute("ALTER TABLE tax_assessments ADD COLUMN dependant_of uuid")
    op.execute("CREATE INDEX tax_assessments_dependant_of ON tax_assessments "
               "(municipality_code, dependant_of, fiscal_year) WHERE dependant_of IS NOT NULL")
    grant_app(op, "tax_assessments", "DELETE")


def downgrade() -> None:
    op.execute("DELETE FROM tax_assessments WHERE dependant_of IS NOT NULL")
    op.execute("DROP INDEX tax_assessments_dependant_of")
    op.execute("ALTER TABLE tax_assessments DROP COLUMN dependant_of")
