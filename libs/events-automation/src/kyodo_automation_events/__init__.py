"""Public events of the automation service.

Topic ``kyodo.automation.v1``, keyed by the run. A ``notify`` step of a scenario publishes
``AutomationNotified``: who is told (a division, 税務課) and the message the scenario wrote.
Never My Number: messages are written by scenario authors, and scenarios cannot read it.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.automation.v1"
TOPICS = {TOPIC: 3}


class AutomationNotified(DomainEvent):
    """通知: a scenario's run tells a division of the municipality something."""

    event_type: ClassVar[str] = "jp.kyodo.automation.notified.v1"
    topic: ClassVar[str] = TOPIC

    run_id: UUID
    municipality_code: str
    scenario: str
    to: str
    message: str

    @property
    def subject(self) -> str:
        return str(self.run_id)


ALL_EVENTS: tuple[type[DomainEvent], ...] = (AutomationNotified,)
