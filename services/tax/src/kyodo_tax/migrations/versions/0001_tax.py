"""The tax service's tables: read models, salary reports, declarations, assessments, bulk jobs.

Revision ID: 0001
"""

from alembic import op

from kyodo_common.db.rls import (
    create_access_log,
    create_idempotency_keys,
    create_job_door,
    create_outbox_and_inbox,
    enable_tenant_rls,
    grant_app,
    grant_app_sequence,
)

revision = "0001"
down_revision = None

# Columns of the assessment result (domain.assessment.Assessment), all yen amounts or counts.
RESULT_INTEGERS = (
    "salary_revenue", "salary_income", "pension_revenue", "pension_income", "other_income",
    "total_income", "deduction_basic", "deduction_social_insurance", "deduction_spouse",
    "deduction_dependants", "deduction_disability", "deduction_widowhood",
    "deduction_working_student", "deduction_other", "deductions_total", "taxable_base",
    "income_levy_municipal_gross", "income_levy_prefectural_gross", "personal_difference",
    "adjustment_credit_municipal", "adjustment_credit_prefectural", "income_levy_municipal",
    "income_levy_prefectural", "per_capita_municipal", "per_capita_prefectural",
    "forest_environment_tax", "household_size", "per_capita_limit", "income_levy_limit",
)
RESULT_FLAGS = ("personal_exemption", "per_capita_exempt", "income_levy_exempt",
                "designated_city")
DEPENDANT_COLUMNS = (
    "dependants_general", "dependants_specified", "dependants_elderly",
    "dependants_elderly_cohabiting", "dependants_under_16", "disabled_general",
    "disabled_special", "disabled_special_cohabiting",
)
# The household and status facts, as reported or declared.
FACT_COLUMNS = """
    spouse text NOT NULL DEFAULT 'none' CHECK (spouse IN ('none', 'general', 'elderly')),
    disability text NOT NULL DEFAULT 'none' CHECK (disability IN ('none', 'general', 'special')),
    widowhood text NOT NULL DEFAULT 'none'
        CHECK (widowhood IN ('none', 'widow', 'single_mother', 'single_father')),
    working_student boolean NOT NULL DEFAULT false,
""" + "".join(f"    {c} integer NOT NULL DEFAULT 0 CHECK ({c} >= 0),\n" for c in DEPENDANT_COLUMNS)


def _tenant_table(name: str, privileges: str = "SELECT, INSERT, UPDATE, DELETE") -> None:
    enable_tenant_rls(op, name)
    grant_app(op, name, privileges)


def upgrade() -> None:
    create_outbox_and_inbox(op)
    create_idempotency_keys(op)
    create_access_log(op)

    # The tenant's tax configuration, from identity's MunicipalityConfigured.
    op.execute(
        """
        CREATE TABLE tax_configs (
            municipality_code char(6) PRIMARY KEY,
            version integer NOT NULL,
            name text NOT NULL,
            prefecture text NOT NULL,
            per_capita_municipal integer NOT NULL,
            per_capita_prefectural integer NOT NULL,
            forest_environment_tax integer NOT NULL,
            kyuchi integer NOT NULL CHECK (kyuchi BETWEEN 1 AND 3),
            designated_city boolean NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    _tenant_table("tax_configs", "SELECT, INSERT, UPDATE")

    # Every version of every resident record, from the residents service's events: the history
    # the 1 January rule is answered from.
    op.execute(
        """
        CREATE TABLE register_history (
            municipality_code char(6) NOT NULL,
            resident_id uuid NOT NULL,
            version integer NOT NULL,
            platform_person_id uuid NOT NULL,
            effective_date date NOT NULL,
            reason text NOT NULL,
            status text NOT NULL,
            resident_number varchar(10) NOT NULL,
            family_name text NOT NULL,
            given_name text NOT NULL,
            family_name_kana text NOT NULL,
            given_name_kana text NOT NULL,
            birth_date date,
            sex text NOT NULL,
            postal_code text NOT NULL,
            address text NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (municipality_code, resident_id, version)
        )
        """
    )
    op.execute("CREATE INDEX register_history_person ON register_history "
               "(municipality_code, platform_person_id, effective_date, version)")
    op.execute("CREATE INDEX register_history_number ON register_history "
               "(municipality_code, resident_number)")
    _tenant_table("register_history", "SELECT, INSERT")

    op.execute(
        """
        CREATE TABLE salary_imports (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            fiscal_year integer NOT NULL,
            file_sha256 char(64) NOT NULL,
            file_format text NOT NULL,
            received integer NOT NULL,
            accepted integer NOT NULL,
            unchanged integer NOT NULL,
            superseding integer NOT NULL,
            rejected integer NOT NULL,
            problems jsonb NOT NULL,
            imported_by text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (municipality_code, fiscal_year, file_sha256)
        )
        """
    )
    _tenant_table("salary_imports", "SELECT, INSERT")

    op.execute(
        f"""
        CREATE TABLE salary_reports (
            id bigserial PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            fiscal_year integer NOT NULL,
            import_id uuid NOT NULL REFERENCES salary_imports (id),
            line integer NOT NULL,
            row_key text NOT NULL,
            content_hash char(64) NOT NULL,
            employer_number char(8) NOT NULL,
            employer_name text NOT NULL,
            platform_person_id uuid NOT NULL,
            resident_id uuid NOT NULL,
            salary_income bigint NOT NULL CHECK (salary_income >= 0),
            social_insurance bigint NOT NULL CHECK (social_insurance >= 0),
            other_deductions bigint NOT NULL CHECK (other_deductions >= 0),
            {FACT_COLUMNS}
            collection text NOT NULL CHECK (collection IN ('special', 'ordinary')),
            left_on date,
            superseded_by bigint REFERENCES salary_reports (id),
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (municipality_code, fiscal_year, row_key, content_hash)
        )
        """
    )
    op.execute("CREATE INDEX salary_reports_person ON salary_reports "
               "(municipality_code, fiscal_year, platform_person_id) WHERE superseded_by IS NULL")
    op.execute("CREATE INDEX salary_reports_key ON salary_reports "
               "(municipality_code, fiscal_year, row_key) WHERE superseded_by IS NULL")
    _tenant_table("salary_reports", "SELECT, INSERT, UPDATE")
    grant_app_sequence(op, "salary_reports_id_seq")

    # 住民税申告: the person's own statement; the latest version for a year counts.
    op.execute(
        f"""
        CREATE TABLE declarations (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            fiscal_year integer NOT NULL,
            platform_person_id uuid NOT NULL,
            version integer NOT NULL,
            salary_revenue bigint NOT NULL CHECK (salary_revenue >= 0),
            pension_revenue bigint NOT NULL CHECK (pension_revenue >= 0),
            other_income bigint NOT NULL CHECK (other_income >= 0),
            social_insurance bigint NOT NULL CHECK (social_insurance >= 0),
            other_deductions bigint NOT NULL CHECK (other_deductions >= 0),
            {FACT_COLUMNS}
            declared_by text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (municipality_code, fiscal_year, platform_person_id, version)
        )
        """
    )
    _tenant_table("declarations", "SELECT, INSERT")

    op.execute(
        """
        CREATE TABLE bulk_jobs (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            fiscal_year integer NOT NULL,
            state text NOT NULL CHECK (state IN ('queued', 'running', 'finished', 'failed')),
            total integer,
            cursor integer NOT NULL DEFAULT 0,
            assessed integer NOT NULL DEFAULT 0,
            corrected integer NOT NULL DEFAULT 0,
            unchanged integer NOT NULL DEFAULT 0,
            refused integer NOT NULL DEFAULT 0,
            attempts integer NOT NULL DEFAULT 0,
            error text,
            requested_by text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            started_at timestamptz,
            heartbeat_at timestamptz,
            finished_at timestamptz
        )
        """
    )
    # One job per municipality and fiscal year at a time.
    op.execute("CREATE UNIQUE INDEX bulk_jobs_one_active ON bulk_jobs "
               "(municipality_code, fiscal_year) WHERE state IN ('queued', 'running')")
    _tenant_table("bulk_jobs", "SELECT, INSERT, UPDATE")
    # The persons of a job, fixed when it starts (registered on 1 January, with income data):
    # the job walks them in `seq` order; its cursor says how far it committed.
    op.execute(
        """
        CREATE TABLE bulk_job_persons (
            job_id uuid NOT NULL REFERENCES bulk_jobs (id),
            seq integer NOT NULL,
            municipality_code char(6) NOT NULL,
            platform_person_id uuid NOT NULL,
            resident_id uuid NOT NULL,
            resident_number varchar(10) NOT NULL,
            birth_date date,
            postal_code text NOT NULL,
            address text NOT NULL,
            PRIMARY KEY (job_id, seq)
        )
        """
    )
    _tenant_table("bulk_job_persons", "SELECT, INSERT")
    op.execute(
        """
        CREATE TABLE bulk_job_refusals (
            job_id uuid NOT NULL REFERENCES bulk_jobs (id),
            municipality_code char(6) NOT NULL,
            platform_person_id uuid NOT NULL,
            reason text NOT NULL,
            PRIMARY KEY (job_id, platform_person_id)
        )
        """
    )
    _tenant_table("bulk_job_refusals", "SELECT, INSERT")
    create_job_door(op, table="bulk_jobs", function="runnable_bulk_jobs",
                    policy="owner_reads_runnable_jobs", channel="kyodo_tax_jobs")

    integers = "".join(f"            {c} bigint NOT NULL,\n" for c in RESULT_INTEGERS)
    flags = "".join(f"            {c} boolean NOT NULL,\n" for c in RESULT_FLAGS)
    op.execute(
        f"""
        CREATE TABLE assessments (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            fiscal_year integer NOT NULL,
            platform_person_id uuid NOT NULL,
            version integer NOT NULL CHECK (version >= 1),
            resident_id uuid NOT NULL,
            resident_number varchar(10) NOT NULL,
            january_first_postal_code text NOT NULL,
            january_first_address text NOT NULL,
            rules text NOT NULL,
            inputs_hash text NOT NULL,
            spouse text NOT NULL,
            dependants integer[] NOT NULL,
            disability text NOT NULL,
            widowhood text NOT NULL,
            working_student boolean NOT NULL,
            minor boolean NOT NULL,
            aged_65_or_over boolean NOT NULL,
{integers}{flags}            unverified_rules text[] NOT NULL,
            total bigint NOT NULL,
            previous_total bigint,
            difference bigint,
            collection text NOT NULL CHECK (collection IN ('special', 'ordinary')),
            instalments jsonb NOT NULL,
            switched_on date,
            switch_reason text,
            job_id uuid REFERENCES bulk_jobs (id),
            assessed_on date NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (municipality_code, fiscal_year, platform_person_id, version)
        )
        """
    )
    # A bulk job assesses each of its persons at most once, whatever crashes in between.
    op.execute("CREATE UNIQUE INDEX assessments_once_per_job ON assessments "
               "(job_id, platform_person_id) WHERE job_id IS NOT NULL")
    _tenant_table("assessments", "SELECT, INSERT, UPDATE")


def downgrade() -> None:
    for table in ("assessments", "bulk_job_refusals", "bulk_job_persons", "bulk_jobs",
                  "declarations", "salary_reports", "salary_imports", "register_history",
                  "tax_configs", "access_log", "idempotency_keys", "inbox", "outbox"):
        op.execute(f"DROP TABLE {table}")
    for function in ("runnable_bulk_jobs()", "bulk_jobs_notify()", "outbox_notify()",
                     "access_log_append_only()"):
        op.execute(f"DROP FUNCTION {function}")
