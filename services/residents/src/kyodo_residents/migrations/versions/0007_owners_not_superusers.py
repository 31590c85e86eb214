"""The database's owner role, not the superuser, owns and migrates it: SECURITY DEFINER
functions pin their search_path, the owner's policies name the owner, and the relay may queue
events again (replay).

Revision ID: 0007
"""

from alembic import op

from kyodo_common.db.rls import owners_not_superusers, superusers_not_owners

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    owners_not_superusers(op)


def downgrade() -> None:
    superusers_not_owners(op)
