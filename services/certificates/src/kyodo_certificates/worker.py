"""`python -m kyodo_certificates.worker`: read-model consumers, outbox relay, access-log sealer,
and the 罹災証明書 requested through the disaster service.

Disaster's houses (HouseDamageAssessed, HouseDamageReassessed) are translated into the damage
read model in `service_layer/when_damage_is_assessed_update_assessments.py`; a re-survey that
changes the grade voids the house's earlier 罹災証明書 there, and the requests the events carry
are recorded there. The job loop beside the consumer issues them (`damage_issuing.py`).
Declarations (DisasterDeclared) are kept for 被災証明書 at the counter.
"""

import asyncio
from typing import Any

from kyodo_disaster_events import DisasterDeclared, HouseDamageAssessed, HouseDamageReassessed
from kyodo_identity_events import MunicipalityConfigured
from kyodo_residents_events import ALL_EVENTS, ResidentRegisterChanged
from kyodo_tax_events import TaxAssessed, TaxAssessmentCorrected

from kyodo_certificates.adapters.read_model_store import CertificatesInboxUnitOfWork
from kyodo_certificates.service_layer.job_runner import run_damage_certificates
from kyodo_certificates.service_layer.when_damage_is_assessed_update_assessments import (
    when_house_damage_changes_update_assessments,
)
from kyodo_certificates.service_layer.when_disaster_declared_remember_it import (
    when_disaster_declared_remember_it,
)
from kyodo_certificates.service_layer.when_municipality_configured_update_municipalities import (
    when_municipality_configured_update_municipalities,
)
from kyodo_certificates.service_layer.when_register_changes_update_residents import (
    when_register_changes_update_residents,
)
from kyodo_certificates.service_layer.when_tax_is_assessed_update_assessments import (
    when_tax_assessment_changes_update_assessments,
)
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.events.inbox import Subscription, for_runs
from kyodo_common.events.stores import with_unit_of_work
from kyodo_common.worker import run_process, run_worker

CONSUMER = "certificates.read-models"
# Each handler gets the consumer's unit of work on the inbox's transaction, its store as
# ``uow.read_models`` (ADR 0021); one wrapper per handler, whichever events it takes.
UOW = CertificatesInboxUnitOfWork
REGISTER = with_unit_of_work(UOW, when_register_changes_update_residents)
TAX = with_unit_of_work(UOW, when_tax_assessment_changes_update_assessments)
HOUSES = with_unit_of_work(UOW, when_house_damage_changes_update_assessments)
SUBSCRIPTIONS: list[Subscription[Any]] = [
    *(for_runs(event, REGISTER)
      for event in ALL_EVENTS if issubclass(event, ResidentRegisterChanged)),
    # The configured municipality's own tenant, whoever published it (a platform operator).
    Subscription(MunicipalityConfigured,
                 with_unit_of_work(UOW, when_municipality_configured_update_municipalities),
                 tenant=lambda event, _: event.code),
    *(Subscription(event, TAX)
      for event in (TaxAssessed, TaxAssessmentCorrected)),
    *(Subscription(event, HOUSES)
      for event in (HouseDamageAssessed, HouseDamageReassessed)),
    # for 被災証明書
    Subscription(DisasterDeclared, with_unit_of_work(UOW, when_disaster_declared_remember_it)),
]



async def main() -> None:
    settings = CertificatesSettings()

    async def damage_certificates(stop: asyncio.Event) -> None:
        # Stops between two chunks (a chunk cut short is rolled back, its serials a gap).
        await run_damage_certificates(settings, stop)

    await run_worker(settings, consumer_name=CONSUMER, subscriptions=SUBSCRIPTIONS,
                     seal_access_log=True, also_run=[damage_certificates])


if __name__ == "__main__":
    run_process(main())
