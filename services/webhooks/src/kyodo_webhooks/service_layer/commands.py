"""The subscriptions' commands: what a partner's client or the town's admin asks for.

Each is frozen, built by a route, and run by one handler (service_layer.handlers) through
kyodo_common's write pipeline. ``caller`` is who asks: what they may do depends on it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from kyodo_common.assertion import Acting
from kyodo_common.write_pipeline import Command


@dataclass(frozen=True)
class Subscribe(Command):
    caller: Acting
    callback_url: str
    event_types: list[str]
    filters: dict[str, Any] | None
    description: str | None


@dataclass(frozen=True)
class ChangeState(Command):
    """approve (the town's admin consents), pause, resume, or end."""

    caller: Acting
    subscription_id: uuid.UUID
    expected_version: int | None
    change: Literal["approve", "pause", "resume", "end"]


@dataclass(frozen=True)
class RotateSecret(Command):
    caller: Acting
    subscription_id: uuid.UUID
    overlap_seconds: int


@dataclass(frozen=True)
class Ping(Command):
    caller: Acting
    subscription_id: uuid.UUID


@dataclass(frozen=True)
class Redeliver(Command):
    caller: Acting
    subscription_id: uuid.UUID
    delivery_id: uuid.UUID
