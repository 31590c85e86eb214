"""支援措置 in tax: the measures of the register's people (from its events), and row-level
security hiding a protected person's register history and assessments, on the measure's dates,
from callers who may not see them (kyodo_common.privacy): a partner's tax:read included.

Revision ID: 0005
"""

from alembic import op

from kyodo_common.db.rls import (
    enable_tenant_rls,
    grant_app,
    hide_protected_rows,
    in_force_today,
    show_protected_rows,
)

revision = "0005"
down_revision = "0004"

_IN_FORCE = in_force_today("p.protected_from", "p.protected_until")


def _person_protected(table: str) -> str:
    return ("EXISTS (SELECT 1 FROM protected_people p "  # noqa: S608 - constants of this module
            f"WHERE p.platform_person_id = {table}.platform_person_id AND {_IN_FORCE})")


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE protected_people (
            municipality_code char(6) NOT NULL,
            resident_id uuid NOT NULL,
            platform_person_id uuid NOT NULL,
            version integer NOT NULL,
            protected_from date NOT NULL,
            protected_until date NOT NULL,
            PRIMARY KEY (municipality_code, resident_id)
        )
        """
    )
    op.execute("CREATE INDEX protected_people_person ON protected_people "
               "(municipality_code, platform_person_id)")
    enable_tenant_rls(op, "protected_people")
    grant_app(op, "protected_people", "SELECT, INSERT, UPDATE")
    hide_protected_rows(op, "register_history", _person_protected("register_history"))
    hide_protected_rows(op, "assessments", _person_protected("assessments"))


def downgrade() -> None:
    show_protected_rows(op, "assessments")
    show_protected_rows(op, "register_history")
    op.execute("DROP TABLE protected_people")
