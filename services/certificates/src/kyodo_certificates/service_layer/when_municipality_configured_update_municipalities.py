"""When identity configures a municipality, keep its name, mayor and fee for certificates."""

from __future__ import annotations

from kyodo_identity_events import MunicipalityConfigured

from kyodo_certificates.service_layer.ports import ReadModelsUnitOfWork
from kyodo_common.events import Envelope


async def when_municipality_configured_update_municipalities(
    uow: ReadModelsUnitOfWork, event: MunicipalityConfigured, envelope: Envelope
) -> None:
    values = {"municipality_code": event.code, "name": event.name,
              "prefecture": event.prefecture, "mayor_name": event.config.mayor_name,
              "certificate_fee_yen": event.config.certificate_fee_yen, "version": event.version,
              "config": event.config.model_dump(mode="json")}
    await uow.read_models.keep_municipality(values)
