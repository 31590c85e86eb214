"""Announced 転出 complete on their day by themselves: the residents worker finds the
municipalities that have one due through one narrow door, a SECURITY DEFINER function that
returns municipality codes only (row-level security binds the owner too, so the door is a
policy for the owner that shows announced rows, and the function sees protected people, whose
転出 take effect too). A partial index keeps the look cheap: announced persons are few.

Revision ID: 0011
"""

from alembic import op

from kyodo_common.db.rls import DEFINER_SEARCH_PATH, grant_app

revision = "0011"
down_revision = "0010"

FUNCTION = "municipalities_with_due_move_outs"
_SEES = "kyodo.sees_protected"
_DOOR = "kyodo.announced_move_outs_door"
_DOOR_OPEN = f"current_setting('{_DOOR}', true) = 'on'"


def upgrade() -> None:
    op.execute("CREATE INDEX residents_announced ON residents (municipality_code, left_on) "
               "WHERE status = 'announced'")
    # Open only inside the function (which sets the door's setting for its one query): any
    # other statement of the owner without a tenant still sees no resident at all.
    op.execute("CREATE POLICY announced_move_outs_door ON residents FOR SELECT "
               f"TO CURRENT_USER USING (status = 'announced' AND {_DOOR_OPEN})")
    # The function opens the door and sees protected people for its one query, then gives the
    # caller's settings back (a function's own SET of a custom setting is for superusers only).
    op.execute(
        f"""
        CREATE FUNCTION {FUNCTION}(due_on date) RETURNS TABLE (municipality_code text)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = {DEFINER_SEARCH_PATH} AS $$
        DECLARE
            caller_sees text := coalesce(current_setting('{_SEES}', true), '');
            caller_door text := coalesce(current_setting('{_DOOR}', true), '');
        BEGIN
            PERFORM set_config('{_SEES}', 'on', true), set_config('{_DOOR}', 'on', true);
            RETURN QUERY SELECT DISTINCT r.municipality_code::text FROM public.residents r
                WHERE r.status = 'announced' AND r.left_on <= due_on ORDER BY 1;
            PERFORM set_config('{_SEES}', caller_sees, true),
                    set_config('{_DOOR}', caller_door, true);
        END $$
        """  # noqa: S608 - names from the migration, not from input
    )
    op.execute(f"REVOKE ALL ON FUNCTION {FUNCTION}(date) FROM PUBLIC")
    grant_app(op, f"FUNCTION {FUNCTION}(date)", "EXECUTE")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {FUNCTION}(date)")
    op.execute("DROP POLICY announced_move_outs_door ON residents")
    op.execute("DROP INDEX residents_announced")
