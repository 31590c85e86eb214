"""What a consumer's handler really reads from an event.

The handler (and the subscription's tenant function) is run on example events built from the
producer's schema, with the event wrapped so every field it touches is noted, against a
session that answers every statement with no rows.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from kyodo_common.events.envelope import Envelope
from kyodo_common.events.inbox import Subscription
from kyodo_launcher.contracts import schemas
from kyodo_launcher.contracts.schemas import Fill

WHOLE = "(whole)"  # marks a path whose object the consumer keeps whole (model_dump)


class ExampleRefused(ValueError):
    """The producer's model refuses an example built from its schema (a validator the schema
    does not show): the consumer's file must supply that value."""


def handler_name(subscription: Subscription[Any]) -> str:
    handler = subscription.handler
    return f"{handler.__module__}.{handler.__qualname__}"


class _NoRows:
    """The result of any statement in a recording run: nothing found."""

    def first(self) -> None:
        return None

    def one_or_none(self) -> None:
        return None

    def scalar(self) -> None:
        return None

    def scalar_one_or_none(self) -> None:
        return None

    def all(self) -> list[Any]:
        return []

    def scalars(self) -> _NoRows:
        return self

    def mappings(self) -> _NoRows:
        return self

    def __iter__(self) -> Any:
        return iter(())


class _Driver:
    """The asyncpg connection handlers reach through ``kyodo_common.db.engine.raw_connection``:
    every statement finds no rows, but a single value (an existence check before the work)
    is yes, so that the branch doing the work is the one recorded."""

    driver_connection: _Driver

    def __init__(self) -> None:
        self.driver_connection = self

    def is_in_transaction(self) -> bool:
        return True

    async def get_raw_connection(self) -> _Driver:
        return self

    async def execute(self, *args: Any) -> str:
        return ""

    async def fetch(self, *args: Any) -> list[Any]:
        return []

    async def fetchrow(self, *args: Any) -> None:
        return None

    async def fetchval(self, *args: Any) -> bool:
        return True


class _Session:
    def __init__(self) -> None:
        self.info: dict[str, Any] = {}  # as an AsyncSession's (kyodo_common.db.engine)

    async def execute(self, *args: Any, **kwargs: Any) -> _NoRows:
        return _NoRows()

    async def connection(self) -> _Driver:
        return _Driver()

    async def flush(self) -> None:
        return None

    def add(self, *args: Any) -> None:
        return None


class _Reading:
    """Stands for an event (or a part of it) and notes the path of every field read."""

    def __init__(self, model: BaseModel, path: str, seen: set[str]) -> None:
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_seen", seen)

    def __getattr__(self, name: str) -> Any:
        model: BaseModel = object.__getattribute__(self, "_model")
        path: str = object.__getattribute__(self, "_path")
        seen: set[str] = object.__getattribute__(self, "_seen")
        value = getattr(model, name)
        if name in type(model).model_fields:
            where = f"{path}.{name}" if path else name
            seen.add(where)
            return _wrap(value, where, seen)
        if name.startswith("model_dump"):
            seen.add(f"{path}{WHOLE}")
        return value


def _wrap(value: Any, path: str, seen: set[str]) -> Any:
    if isinstance(value, BaseModel):
        return _Reading(value, path, seen)
    if isinstance(value, tuple | list) and any(isinstance(v, BaseModel) for v in value):
        return type(value)(_wrap(v, f"{path}[]", seen) for v in value)
    return value


def _leaves(seen: set[str]) -> set[str]:
    """The paths read, without those only passed through on the way to a field (`residents`
    for `residents[].address`); an object kept whole stays."""
    whole = {p.removesuffix(WHOLE) for p in seen if p.endswith(WHOLE)}
    paths = {p for p in seen if not p.endswith(WHOLE)} | whole
    return {p for p in paths if p in whole or not any(
        other != p and (other.startswith(p + ".") or other.startswith(p + "["))
        for other in paths)}


def run_handler(subscription: Subscription[Any], schema: Mapping[str, Any], fill: Fill,
                examples: Mapping[str, Any]) -> set[str]:
    """The fields the subscription reads from one example event of `fill`."""
    event_cls = subscription.event
    data = schemas.example(schema, fill, examples)
    try:
        event = event_cls.model_validate(data)
    except ValidationError as exc:
        raise ExampleRefused(
            f"the {fill} example of {event_cls.event_type} is not valid ({exc.errors()[0]}): "
            f"give {handler_name(subscription)} a value for it under `examples:`") from exc
    envelope = Envelope(type=event_cls.event_type, source="contracts", subject="subject",
                        municipality="131016", data=event.model_dump_json().encode(),
                        id=str(uuid.uuid4()))
    seen: set[str] = set()
    reading = _Reading(event, "", seen)
    subscription.tenant_of(reading, envelope)
    # A loop of its own, never made current: a test runner's loop stays as it was.
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(
            subscription.handler(_Session(), reading, envelope))  # type: ignore[arg-type]
    finally:
        loop.close()
    return seen


def recorded_reads(subscription: Subscription[Any], schema: Mapping[str, Any],
                   examples: Mapping[str, Any]) -> set[str]:
    """What the handler reads from a full and from a sparse example event."""
    seen = run_handler(subscription, schema, "full", examples)
    seen |= run_handler(subscription, schema, "sparse", examples)
    return _leaves(seen)
