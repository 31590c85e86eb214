"""Tables of the tax service (SQLAlchemy Core; the schema itself is in migrations)."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = sa.MetaData()

DEPENDANT_COLUMNS = (
    "dependants_general", "dependants_specified", "dependants_elderly",
    "dependants_elderly_cohabiting", "dependants_under_16", "disabled_general",
    "disabled_special", "disabled_special_cohabiting",
)


def _facts() -> list[sa.Column[Any]]:
    return [sa.Column("spouse", sa.Text, nullable=False),
            sa.Column("disability", sa.Text, nullable=False),
            sa.Column("widowhood", sa.Text, nullable=False),
            sa.Column("working_student", sa.Boolean, nullable=False),
            *(sa.Column(c, sa.Integer, nullable=False) for c in DEPENDANT_COLUMNS)]


tax_configs = sa.Table(
    "tax_configs", metadata,
    sa.Column("municipality_code", sa.String(6), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("prefecture", sa.Text, nullable=False),
    sa.Column("per_capita_municipal", sa.Integer, nullable=False),
    sa.Column("per_capita_prefectural", sa.Integer, nullable=False),
    sa.Column("forest_environment_tax", sa.Integer, nullable=False),
    sa.Column("kyuchi", sa.Integer, nullable=False),
    sa.Column("designated_city", sa.Boolean, nullable=False),
    # 所得割 rates as decimal text ("0.065"); NULL: the rule set's standard rates
    sa.Column("income_levy_municipal_rate", sa.Text),
    sa.Column("income_levy_prefectural_rate", sa.Text),
    sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
)

register_history = sa.Table(
    "register_history", metadata,
    sa.Column("municipality_code", sa.String(6), primary_key=True),
    sa.Column("resident_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("platform_person_id", UUID(as_uuid=True), nullable=False),
    sa.Column("effective_date", sa.Date, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("resident_number", sa.String(10), nullable=False),
    sa.Column("family_name", sa.Text, nullable=False),
    sa.Column("given_name", sa.Text, nullable=False),
    sa.Column("family_name_kana", sa.Text, nullable=False),
    sa.Column("given_name_kana", sa.Text, nullable=False),
    sa.Column("birth_date", sa.Date),
    sa.Column("sex", sa.Text, nullable=False),
    sa.Column("postal_code", sa.Text, nullable=False),
    sa.Column("address", sa.Text, nullable=False),
)

# 支援措置: the measure each register record is under (row-level security hides the person's
# register history and assessments from callers who may not see them; kyodo_common.privacy).
protected_people = sa.Table(
    "protected_people", metadata,
    sa.Column("municipality_code", sa.String(6), primary_key=True),
    sa.Column("resident_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("platform_person_id", UUID(as_uuid=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("protected_from", sa.Date, nullable=False),
    sa.Column("protected_until", sa.Date, nullable=False),
)

salary_imports = sa.Table(
    "salary_imports", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("file_format", sa.Text, nullable=False),
    sa.Column("received", sa.Integer, nullable=False),
    sa.Column("accepted", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("superseding", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("problems", JSONB, nullable=False),
    sa.Column("imported_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    # the import as a job (service_layer.imports): the file until it finished, the cursor
    # into its good rows, the rows done of ``received``
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("content", sa.LargeBinary),
    sa.Column("cursor", sa.Integer, nullable=False),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
)

salary_reports = sa.Table(
    "salary_reports", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),
    sa.Column("import_id", UUID(as_uuid=True), nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("row_key", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("employer_number", sa.String(8), nullable=False),
    sa.Column("employer_name", sa.Text, nullable=False),
    sa.Column("platform_person_id", UUID(as_uuid=True), nullable=False),
    sa.Column("resident_id", UUID(as_uuid=True), nullable=False),
    sa.Column("salary_income", sa.BigInteger, nullable=False),
    sa.Column("social_insurance", sa.BigInteger, nullable=False),
    sa.Column("other_deductions", sa.BigInteger, nullable=False),
    *_facts(),
    sa.Column("collection", sa.Text, nullable=False),
    sa.Column("left_on", sa.Date),
    sa.Column("superseded_by", sa.BigInteger),
)

declarations = sa.Table(
    "declarations", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),
    sa.Column("platform_person_id", UUID(as_uuid=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("salary_revenue", sa.BigInteger, nullable=False),
    sa.Column("pension_revenue", sa.BigInteger, nullable=False),
    sa.Column("other_income", sa.BigInteger, nullable=False),
    sa.Column("social_insurance", sa.BigInteger, nullable=False),
    sa.Column("other_deductions", sa.BigInteger, nullable=False),
    *_facts(),
    # The spouse's and dependants' persons, where the declaration names them
    sa.Column("dependant_persons", ARRAY(UUID(as_uuid=True)), nullable=False,
              server_default="{}"),
    sa.Column("declared_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
)

bulk_jobs = sa.Table(
    "bulk_jobs", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("total", sa.Integer),
    sa.Column("cursor", sa.Integer, nullable=False),
    sa.Column("assessed", sa.Integer, nullable=False),
    sa.Column("corrected", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("refused", sa.Integer, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("requested_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
)

bulk_job_refusals = sa.Table(
    "bulk_job_refusals", metadata,
    sa.Column("job_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("platform_person_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
)

assessments = sa.Table(
    "assessments", metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("municipality_code", sa.String(6), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),
    sa.Column("platform_person_id", UUID(as_uuid=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("total", sa.BigInteger, nullable=False),
    sa.Column("collection", sa.Text, nullable=False),
    sa.Column("instalments", JSONB, nullable=False),
    sa.Column("switched_on", sa.Date),
    sa.Column("switch_reason", sa.Text),
    sa.Column("unverified_rules", ARRAY(sa.Text), nullable=False),
    sa.Column("job_id", UUID(as_uuid=True)),
)
