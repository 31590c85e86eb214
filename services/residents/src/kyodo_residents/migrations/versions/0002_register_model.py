"""Households, history, partial birth dates, foreign residents, My Number, protection measures,
incoming transfers and the access log.

Revision ID: 0002
"""

from alembic import op

from kyodo_common.db.rls import (
    create_access_log,
    enable_tenant_rls,
    grant_app,
    grant_app_sequence,
)

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE households (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            household_number varchar(10) NOT NULL,
            head_id uuid,
            postal_code char(7) NOT NULL,
            address text NOT NULL,
            formed_on date NOT NULL,
            dissolved_on date,
            version integer NOT NULL DEFAULT 1,
            UNIQUE (municipality_code, household_number)
        )
        """
    )
    op.execute("CREATE SEQUENCE household_serial")
    enable_tenant_rls(op, "households")
    grant_app(op, "households")
    grant_app_sequence(op, "household_serial")

    op.execute("ALTER TABLE residents ALTER COLUMN birth_date DROP NOT NULL")
    op.execute(
        """
        ALTER TABLE residents
            ADD COLUMN platform_person_id uuid NOT NULL DEFAULT gen_random_uuid(),
            ADD COLUMN status text NOT NULL DEFAULT 'resident'
                CHECK (status IN ('resident', 'moved_out', 'dead', 'removed')),
            ADD COLUMN household_id uuid REFERENCES households (id),
            ADD COLUMN relationship text,
            ADD COLUMN birth_date_partial text,
            ADD COLUMN latin_name text,
            ADD COLUMN nationality char(2) NOT NULL DEFAULT 'JP',
            ADD COLUMN residence_status text,
            ADD COLUMN residence_card_number text,
            ADD COLUMN stay_until date,
            ADD COLUMN my_number_cipher bytea,
            ADD COLUMN my_number_hash bytea,
            ADD COLUMN address_since date,
            ADD COLUMN became_resident_on date,
            ADD COLUMN previous_address text,
            ADD COLUMN left_on date,
            ADD COLUMN destination text,
            ADD COLUMN kana_full text GENERATED ALWAYS AS
                (family_name_kana || ' ' || given_name_kana) STORED,
            ADD CONSTRAINT birth_known_or_partial
                CHECK (birth_date IS NOT NULL OR birth_date_partial IS NOT NULL)
        """
    )
    op.execute("CREATE UNIQUE INDEX residents_my_number ON residents "
               "(municipality_code, my_number_hash) WHERE my_number_hash IS NOT NULL")
    # Prefix search on フリガナ, then keyset order (kana, id): the database runs in the C
    # locale, so a plain btree serves LIKE 'ヤマ%'.
    op.execute("CREATE INDEX residents_kana ON residents (municipality_code, kana_full, id)")
    op.execute("CREATE INDEX residents_birth ON residents (municipality_code, birth_date)")
    op.execute("CREATE INDEX residents_household ON residents (household_id)")

    op.execute(
        """
        CREATE TABLE resident_history (
            id bigserial PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            resident_id uuid NOT NULL,
            version integer NOT NULL,
            effective_date date NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            reason text NOT NULL,
            late_filing boolean NOT NULL DEFAULT false,
            household_id uuid,
            status text NOT NULL,
            state jsonb NOT NULL,
            UNIQUE (resident_id, version)
        )
        """
    )
    op.execute("CREATE INDEX resident_history_as_of ON resident_history "
               "(municipality_code, resident_id, effective_date, id)")
    op.execute("CREATE INDEX resident_history_household ON resident_history "
               "(municipality_code, household_id, effective_date)")
    enable_tenant_rls(op, "resident_history")
    grant_app(op, "resident_history", "SELECT, INSERT")
    grant_app_sequence(op, "resident_history_id_seq")

    op.execute(
        """
        CREATE TABLE household_history (
            id bigserial PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            household_id uuid NOT NULL,
            version integer NOT NULL,
            effective_date date NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            reason text NOT NULL,
            state jsonb NOT NULL,
            UNIQUE (household_id, version)
        )
        """
    )
    enable_tenant_rls(op, "household_history")
    grant_app(op, "household_history", "SELECT, INSERT")
    grant_app_sequence(op, "household_history_id_seq")

    op.execute(
        """
        CREATE TABLE protection_measures (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            resident_id uuid NOT NULL REFERENCES residents (id),
            starts_on date NOT NULL,
            ends_on date NOT NULL,
            extensions integer NOT NULL DEFAULT 0,
            version integer NOT NULL DEFAULT 1,
            CHECK (ends_on >= starts_on)
        )
        """
    )
    op.execute("CREATE INDEX protection_resident ON protection_measures "
               "(municipality_code, resident_id, ends_on)")
    enable_tenant_rls(op, "protection_measures")
    grant_app(op, "protection_measures")

    op.execute(
        """
        CREATE TABLE incoming_transfers (
            id uuid PRIMARY KEY,
            municipality_code char(6) NOT NULL,
            origin_municipality char(6) NOT NULL,
            origin_resident_id uuid NOT NULL,
            planned_move_date date NOT NULL,
            moved_out_on date NOT NULL,
            destination_address text NOT NULL,
            destination_postal_code char(7) NOT NULL,
            resident jsonb NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            completed_resident_id uuid
        )
        """
    )
    enable_tenant_rls(op, "incoming_transfers")
    grant_app(op, "incoming_transfers", "SELECT, INSERT, UPDATE")
    create_access_log(op)


def downgrade() -> None:
    for table in ("access_log", "incoming_transfers", "protection_measures",
                  "household_history", "resident_history"):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION access_log_append_only()")
    for column in ("platform_person_id", "status", "household_id", "relationship",
                   "birth_date_partial", "latin_name", "nationality", "residence_status",
                   "residence_card_number", "stay_until", "my_number_cipher", "my_number_hash",
                   "address_since", "became_resident_on", "previous_address", "left_on",
                   "destination", "kana_full"):
        op.execute(f"ALTER TABLE residents DROP COLUMN {column}")
    op.execute("DROP TABLE households")
    op.execute("DROP SEQUENCE household_serial")
