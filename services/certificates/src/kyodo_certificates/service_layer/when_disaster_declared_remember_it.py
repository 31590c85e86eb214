"""When a municipality declares (or amends) a disaster, keep it for 被災証明書: its name, the
day it occurred and the application window. The highest version wins."""

from __future__ import annotations

from kyodo_disaster_events import DisasterDeclared

from kyodo_certificates.service_layer.ports import ReadModelsUnitOfWork
from kyodo_common.events import Envelope


async def when_disaster_declared_remember_it(
    uow: ReadModelsUnitOfWork, event: DisasterDeclared, envelope: Envelope
) -> None:
    values = {"municipality_code": event.municipality_code, "disaster_id": event.disaster_id,
              "name": event.name, "kind_label": event.kind_label,
              "occurred_on": event.occurred_on,
              "application_opens_on": event.application_opens_on,
              "application_closes_on": event.application_closes_on, "version": event.version}
    await uow.read_models.keep_disaster(values)
