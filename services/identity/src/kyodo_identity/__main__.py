"""`python -m kyodo_identity`: serve the identity API."""

from kyodo_common.service import serve
from kyodo_identity.main import create_app
from kyodo_identity.settings import IdentitySettings

if __name__ == "__main__":
    settings = IdentitySettings()
    serve(create_app(settings), settings)
