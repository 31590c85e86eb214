"""支援措置 at one seam: row-level security hides a protected person's rows on the measure's
dates from every caller who may not see them (kyodo_common.privacy).

The register's row carries the measure in force or next to start (``protected_from``,
``protected_until``), so the policy on ``residents`` costs no lookup per row; the history and
the incoming transfer notices are hidden by the measures and by the state they carry.

Revision ID: 0006
"""

from alembic import op

from kyodo_common.db.rls import hide_protected_rows, in_force_today, show_protected_rows

revision = "0006"
down_revision = "0005"

_MEASURE_IN_FORCE = in_force_today("m.starts_on", "m.ends_on")
_HISTORY_PROTECTED = (
    "EXISTS (SELECT 1 FROM protection_measures m "  # noqa: S608 - constants of this module
    f"WHERE m.resident_id = resident_history.resident_id AND {_MEASURE_IN_FORCE})"
)
_TRANSFER_PROTECTED = in_force_today("(resident->>'protected_from')::date",
                                     "(resident->>'protected_until')::date")


def upgrade() -> None:
    op.execute("ALTER TABLE residents ADD COLUMN protected_from date, "
               "ADD COLUMN protected_until date")
    # The owner is bound by forced row-level security, which would show it no tenant's rows.
    op.execute("ALTER TABLE residents NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE protection_measures NO FORCE ROW LEVEL SECURITY")
    op.execute(
        """
        UPDATE residents r SET protected_from = m.starts_on, protected_until = m.ends_on
        FROM (SELECT DISTINCT ON (resident_id) resident_id, starts_on, ends_on
              FROM protection_measures
              WHERE ends_on >= (now() AT TIME ZONE 'Asia/Tokyo')::date
              ORDER BY resident_id, starts_on) m
        WHERE m.resident_id = r.id
        """
    )
    op.execute("ALTER TABLE residents FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE protection_measures FORCE ROW LEVEL SECURITY")
    hide_protected_rows(op, "residents", in_force_today("protected_from", "protected_until"))
    hide_protected_rows(op, "resident_history", _HISTORY_PROTECTED)
    hide_protected_rows(op, "incoming_transfers", _TRANSFER_PROTECTED)


def downgrade() -> None:
    for table in ("incoming_transfers", "resident_history", "residents"):
        show_protected_rows(op, table)
    op.execute("ALTER TABLE residents DROP COLUMN protected_from, DROP COLUMN protected_until")
