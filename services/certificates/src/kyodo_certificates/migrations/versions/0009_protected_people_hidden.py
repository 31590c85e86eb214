"""支援措置 at one seam: row-level security hides a protected person's snapshot on the
measure's dates from every caller who may not see them (kyodo_common.privacy). The dates come
with the register's state; a state from before they travelled is hidden by its flag.

Revision ID: 0009
"""

from alembic import op

from kyodo_common.db.rls import hide_protected_rows, in_force_today, show_protected_rows

revision = "0009"
down_revision = "0008"

_PROTECTED = (
    "CASE WHEN state->>'protected_until' IS NULL THEN protected ELSE "
    + in_force_today("(state->>'protected_from')::date", "(state->>'protected_until')::date")
    + " END"
)


def upgrade() -> None:
    hide_protected_rows(op, "resident_snapshots", _PROTECTED)
    # A household certificate must not leave out a member the caller may not see: this tells
    # whether there is one (and nothing else), with the policy lifted for its own query only.
    # (Not a SET clause: only a superuser may put a custom setting in a function's.)
    op.execute(
        f"""
        CREATE FUNCTION household_has_protected_member(household uuid) RETURNS boolean
        LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
          was text := current_setting('kyodo.sees_protected', true);
          found boolean;
        BEGIN
          PERFORM set_config('kyodo.sees_protected', 'on', true);
          SELECT EXISTS (SELECT 1 FROM resident_snapshots
                         WHERE household_id = household AND status = 'resident'
                           AND {_PROTECTED}) INTO found;
          PERFORM set_config('kyodo.sees_protected', coalesce(was, ''), true);
          RETURN found;
        END $$
        """  # noqa: S608 - constants of this module
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION household_has_protected_member(uuid)")
    show_protected_rows(op, "resident_snapshots")
