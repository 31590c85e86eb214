"""`python -m kyodo_tax`: serve the tax API."""

from kyodo_common.service import serve
from kyodo_tax.main import create_app
from kyodo_tax.settings import TaxSettings

if __name__ == "__main__":
    settings = TaxSettings()
    serve(create_app(settings), settings)
