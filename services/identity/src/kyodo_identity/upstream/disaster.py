"""災害の宣言: the disaster service's declarations, as identity checks operators' grants by them.

Expected on `kyodo.disaster.v1`, published by the declaring municipality, with a growing
`version` per disaster.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import ConfigDict

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.disaster.v1"


class DisasterDeclared(DomainEvent):
    model_config = ConfigDict(frozen=True, extra="ignore")
    event_type: ClassVar[str] = "jp.kyodo.disaster.declared.v1"
    topic: ClassVar[str] = TOPIC

    disaster_id: UUID
    name: str
    occurred_on: date
    version: int

    @property
    def subject(self) -> str:
        return str(self.disaster_id)
