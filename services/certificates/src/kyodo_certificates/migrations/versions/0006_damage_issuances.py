"""罹災証明書 issued from the disaster service's requests: one row per (application,
survey version) recorded by the consumer, issued in chunks by the worker's job loop.

Revision ID: 0006
"""

from alembic import op

from kyodo_common.db.rls import enable_tenant_rls, grant_app

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE damage_issuances (
            municipality_code char(6) NOT NULL,
            application_id uuid NOT NULL,
            survey_version integer NOT NULL CHECK (survey_version >= 1),
            assessment_id uuid NOT NULL,
            disaster_id uuid NOT NULL,
            applicant_resident_id uuid NOT NULL,
            copies integer NOT NULL CHECK (copies >= 1),
            job_id uuid,
            requested_by text,
            requested_by_home char(6),
            grant_id text,
            status text NOT NULL,
            reason text,
            attempts integer NOT NULL DEFAULT 0,
            retry_at timestamptz,
            issuance_id uuid,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            issued_at timestamptz,
            PRIMARY KEY (municipality_code, application_id, survey_version)
        )
        """
    )
    enable_tenant_rls(op, "damage_issuances")
    grant_app(op, "damage_issuances", "SELECT, INSERT, UPDATE")
    op.execute("CREATE INDEX damage_issuances_pending ON damage_issuances "
               "(municipality_code, disaster_id, recorded_at) WHERE status = 'pending'")
    op.execute("CREATE INDEX damage_issuances_disaster ON damage_issuances "
               "(municipality_code, disaster_id, status)")
    op.execute("CREATE INDEX damage_issuances_house ON damage_issuances (assessment_id)")
    # The database, not only the code, refuses a second certificate for the same request.
    op.execute("ALTER TABLE certificates ADD COLUMN application_id uuid, "
               "ADD COLUMN survey_version integer")
    op.execute("CREATE UNIQUE INDEX certificates_damage_request ON certificates "
               "(municipality_code, application_id, survey_version, copy_number) "
               "WHERE application_id IS NOT NULL")
    _runnable_door()


def _runnable_door() -> None:
    """The worker finds every tenant's disasters with pending issuances through this one
    narrow door (ids and codes only, for the app role only), as disaster's certificate jobs."""
    op.execute("CREATE POLICY owner_reads_pending_issuances ON damage_issuances FOR SELECT "
               "TO CURRENT_USER USING (status = 'pending')")
    op.execute(
        """
        CREATE FUNCTION runnable_damage_issuances()
        RETURNS TABLE (job_id uuid, municipality_code text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
            SELECT disaster_id, municipality_code::text FROM public.damage_issuances
            WHERE status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
            GROUP BY disaster_id, municipality_code
            ORDER BY min(recorded_at), disaster_id
        $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION runnable_damage_issuances() FROM PUBLIC")
    grant_app(op, "FUNCTION runnable_damage_issuances()", "EXECUTE")
    op.execute(
        """
        CREATE FUNCTION damage_issuances_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('kyodo_certificates_jobs', ''); RETURN NULL; END $$
        """
    )
    op.execute("CREATE TRIGGER damage_issuances_notify AFTER INSERT ON damage_issuances "
               "FOR EACH STATEMENT EXECUTE FUNCTION damage_issuances_notify()")


def downgrade() -> None:
    op.execute("DROP TABLE damage_issuances")
    op.execute("DROP FUNCTION damage_issuances_notify()")
    op.execute("DROP FUNCTION runnable_damage_issuances()")
    op.execute("DROP INDEX certificates_damage_request")
    op.execute("ALTER TABLE certificates DROP COLUMN survey_version, "
               "DROP COLUMN application_id")
