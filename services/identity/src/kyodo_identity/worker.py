"""`python -m kyodo_identity.worker`: the identity outbox relay and the access-log sealer."""

import asyncio

from kyodo_common.worker import run_worker
from kyodo_identity.settings import IdentitySettings

if __name__ == "__main__":
    asyncio.run(run_worker(IdentitySettings(), seal_access_log=True))
