"""Public events of the residents service (schemas other services consume)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.residents.v1"
TOPICS = {TOPIC: 6}


class ResidentRegistered(DomainEvent):
    """住民登録: a person was entered in the municipality's resident register."""

    event_type = "jp.kyodo.resident.registered.v1"
    topic = TOPIC

    resident_id: UUID
    municipality_code: str
    resident_number: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: date
    sex: str
    postal_code: str
    address: str
    registered_on: date

    @property
    def subject(self) -> str:
        return str(self.resident_id)
