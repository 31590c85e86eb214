"""`python -m kyodo_identity.worker`: the identity outbox relay, the access-log sealer and the
disasters the municipalities declared (for operators' grants)."""


from kyodo_common.events.inbox import Subscription
from kyodo_common.events.stores import with_unit_of_work
from kyodo_common.worker import run_process, run_worker
from kyodo_identity.service_layer.unit_of_work import IdentityInboxUnitOfWork
from kyodo_identity.service_layer.when_disaster_declared_remember_it import (
    when_disaster_declared_remember_it,
)
from kyodo_identity.settings import IdentitySettings
from kyodo_identity.upstream.disaster import DisasterDeclared

CONSUMER = "identity.disasters"
SUBSCRIPTIONS = [Subscription(DisasterDeclared, with_unit_of_work(
    IdentityInboxUnitOfWork, when_disaster_declared_remember_it))]

if __name__ == "__main__":
    run_process(run_worker(IdentitySettings(), consumer_name=CONSUMER,
                           subscriptions=SUBSCRIPTIONS, seal_access_log=True))
