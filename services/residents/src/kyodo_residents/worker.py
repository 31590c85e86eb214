"""`python -m kyodo_residents.worker`: the residents outbox relay."""

import asyncio

from kyodo_common.worker import run_worker
from kyodo_residents.settings import ResidentsSettings

if __name__ == "__main__":
    asyncio.run(run_worker(ResidentsSettings()))
