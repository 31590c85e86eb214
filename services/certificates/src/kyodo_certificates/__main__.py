"""`python -m kyodo_certificates`: serve the certificates API."""

from kyodo_certificates.main import create_app
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.service import serve

if __name__ == "__main__":
    settings = CertificatesSettings()
    serve(create_app(settings), settings)
