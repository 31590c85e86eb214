"""`python -m kyodo_residents`: serve the residents API."""

from kyodo_common.service import serve
from kyodo_residents.main import create_app
from kyodo_residents.settings import ResidentsSettings

if __name__ == "__main__":
    settings = ResidentsSettings()
    serve(create_app(settings), settings)
