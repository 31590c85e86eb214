"""`python -m kyodo_identity.worker`: the identity outbox relay and the access-log sealer."""


from kyodo_common.worker import run_process, run_worker
from kyodo_identity.settings import IdentitySettings

if __name__ == "__main__":
    run_process(run_worker(IdentitySettings(), seal_access_log=True))
