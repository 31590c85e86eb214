"""Token signing keys are stored sealed: `private_pem` (text) becomes `private_key` (bytea).

The migration cannot seal (it runs as the owner role, which does not hold identity's
key-encryption key): rows keep their PEM bytes, and identity seals them when it starts
(kyodo_identity.service_layer.keys.seal_plaintext_keys).

signing_keys is a platform table without row-level security, and the statements are DDL (a
column rename and a type change rewriting every row), so running as the owner under FORCE ROW
LEVEL SECURITY elsewhere changes nothing here.

Revision ID: 0011
"""

from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.execute("ALTER TABLE signing_keys RENAME COLUMN private_pem TO private_key")
    op.execute("ALTER TABLE signing_keys ALTER COLUMN private_key TYPE bytea "
               "USING convert_to(private_key, 'UTF8')")


def downgrade() -> None:
    # Only plaintext rows convert back; sealed ones cannot be read as text.
    op.execute("ALTER TABLE signing_keys ALTER COLUMN private_key TYPE text "
               "USING convert_from(private_key, 'UTF8')")
    op.execute("ALTER TABLE signing_keys RENAME COLUMN private_key TO private_pem")
