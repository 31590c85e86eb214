"""`python -m kyodo_automation`: serve the automation API."""

from kyodo_automation.main import create_app
from kyodo_automation.settings import AutomationSettings
from kyodo_common.service import serve

if __name__ == "__main__":
    settings = AutomationSettings()
    serve(create_app(settings), settings)
