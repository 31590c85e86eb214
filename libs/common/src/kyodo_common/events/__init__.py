"""Events: CloudEvents envelope, typed event models, outbox, relay, inbox consumer."""

from kyodo_common.events.envelope import Envelope
from kyodo_common.events.model import DomainEvent

__all__ = ["DomainEvent", "Envelope"]
