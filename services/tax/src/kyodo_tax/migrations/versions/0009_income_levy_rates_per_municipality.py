"""所得割 rates per municipality: identity's tenant configuration may set them (超過課税);
NULL keeps the fiscal year's standard rates.

Revision ID: 0009
"""

from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.execute("ALTER TABLE tax_configs ADD COLUMN income_levy_municipal_rate text, "
               "ADD COLUMN income_levy_prefectural_rate text, "
               "ADD CONSTRAINT tax_configs_income_levy_rates_together CHECK "
               "((income_levy_municipal_rate IS NULL) = (income_levy_prefectural_rate IS NULL))")


def downgrade() -> None:
    op.execute("ALTER TABLE tax_configs DROP CONSTRAINT tax_configs_income_levy_rates_together, "
               "DROP COLUMN income_levy_prefectural_rate, DROP COLUMN income_levy_municipal_rate")
