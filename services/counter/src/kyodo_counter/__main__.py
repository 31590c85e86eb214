"""`python -m kyodo_counter`: the counter app on KYODO_HOST:KYODO_PORT until SIGTERM/SIGINT."""

from __future__ import annotations

import uvicorn

from kyodo_counter.app import create_app
from kyodo_counter.settings import CounterSettings


def main() -> None:
    settings = CounterSettings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_level="warning", access_log=False)  # URLs stay out of logs anyway


if __name__ == "__main__":
    main()
