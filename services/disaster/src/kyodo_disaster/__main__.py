"""`python -m kyodo_disaster`: serve the disaster API."""

from kyodo_common.service import serve
from kyodo_disaster.main import create_app
from kyodo_disaster.settings import DisasterSettings

if __name__ == "__main__":
    settings = DisasterSettings()
    serve(create_app(settings), settings)
