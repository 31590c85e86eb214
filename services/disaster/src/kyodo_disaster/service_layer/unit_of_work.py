"""Disaster's event handlers' unit of work: the inbox's transaction, which the inbox commits,
with the residents read model over it (``uow.residents``). Handlers take their stores from
here, never build them."""

from __future__ import annotations

from functools import cached_property

from kyodo_common.events.stores import InboxUnitOfWork
from kyodo_disaster.adapters.residents_model import SqlResidentsModel


class DisasterInboxUnitOfWork(InboxUnitOfWork):
    @cached_property
    def residents(self) -> SqlResidentsModel:
        return SqlResidentsModel(self.session)
