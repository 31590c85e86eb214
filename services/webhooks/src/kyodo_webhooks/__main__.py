"""`python -m kyodo_webhooks`: serve the subscriptions API."""

from kyodo_common.service import serve
from kyodo_webhooks.main import create_app
from kyodo_webhooks.settings import WebhooksSettings

if __name__ == "__main__":
    settings = WebhooksSettings()
    serve(create_app(settings), settings)
