"""The one way every write goes: a route builds a command, the pipeline runs its handler.

In one transaction: the caller's Idempotency-Key is claimed (a repeat gets the first answer
with its Location and ETag, and changes nothing), the handler changes things through the unit
of work, the access log gets the entries the handler's outcome names, the answer is stored
with the key, and all of it commits together. A DomainError the handler raises rolls it all
back and leaves as problem+json (kyodo_common.web maps it to its status).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from fastapi.responses import JSONResponse

from kyodo_common import idempotency
from kyodo_common.assertion import Acting
from kyodo_common.audit import stage_accesses
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.idempotency import StoredResponse
from kyodo_common.web import etag


@dataclass(frozen=True)
class Command:
    """Base of a service's commands: an imperative (``MoveIn``), immutable, built by a route
    from path, body and headers, and run by exactly one handler."""


@dataclass(frozen=True)
class Access:
    """An access-log entry a write makes: what was done to whose data (DOMAIN §3)."""

    action: str
    subject_type: str
    subject_ids: Sequence[str]
    fields: Sequence[str]
    purpose: str | None = None


# What the caller is told happened: created (201), done (200), or accepted for later (202).
Result = Literal["created", "done", "accepted"]
_STATUS: dict[Result, int] = {"created": 201, "done": 200, "accepted": 202}


@dataclass(frozen=True)
class Outcome:
    """What a handler answers: the body, the access-log entries, where the new thing lives
    (Location) and its version (ETag)."""

    body: Any
    result: Result = "done"
    accesses: Sequence[Access] = ()
    location: str | None = None
    version: int | None = None


C = TypeVar("C", bound=Command)
# A handler: the command and the unit of work (the service's own, with its store) → Outcome.
Handler = Callable[[C, Any], Awaitable[Outcome]]


class Keys(Protocol):
    """Where Idempotency-Keys and their answers are kept (a fake keeps them in a dict)."""

    async def claim(self, uow: Any, *, caller: str, key: str,
                    fingerprint: str) -> StoredResponse | None: ...

    def remember(self, uow: Any, *, caller: str, key: str, answer: StoredResponse) -> None: ...


class TableKeys:
    """The service's ``idempotency_keys`` table, in the unit of work's transaction."""

    async def claim(self, uow: Any, *, caller: str, key: str,
                    fingerprint: str) -> StoredResponse | None:
        return await idempotency.claim_on(
            await uow.connection(), municipality_code=uow.municipality_code, caller=caller,
            key=key, request_fingerprint=fingerprint)

    def remember(self, uow: Any, *, caller: str, key: str, answer: StoredResponse) -> None:
        idempotency.stage_response(uow.staged, municipality_code=uow.municipality_code,
                                   caller=caller, key=key, status=answer.status,
                                   body=answer.body, headers=answer.headers or {})


def answer_of(outcome: Outcome) -> StoredResponse:
    headers: dict[str, str] = {}
    if outcome.location is not None:
        headers["Location"] = outcome.location
    if outcome.version is not None:
        headers["ETag"] = etag(outcome.version)
    return StoredResponse(status=_STATUS[outcome.result], body=outcome.body, headers=headers)


class WritePipeline:
    """``await pipeline.run(command, handler, acting=..., key=..., fingerprint=...)``."""

    def __init__(self, db: Database | None, *, source: str,
                 unit_of_work: Callable[[str], UnitOfWork] | None = None,
                 keys: Keys | None = None) -> None:
        self.source = source
        self._unit_of_work = unit_of_work or (
            lambda code: UnitOfWork(_required(db), source=source, municipality_code=code))
        self._keys = keys or TableKeys()

    async def run(self, command: C, handler: Handler[C], *, acting: Acting,
                  key: str | None, fingerprint: tuple[str, Any]) -> JSONResponse:
        """``fingerprint``: the route's name and what identifies the request (its body,
        the path's ids; a keyed hash instead of a secret), so the same key with another
        request is refused."""
        answer = await self.answer(command, handler, acting=acting, key=key,
                                   fingerprint=fingerprint)
        return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)

    async def answer(self, command: C, handler: Handler[C], *, acting: Acting,
                     key: str | None, fingerprint: tuple[str, Any]) -> StoredResponse:
        valid_key = idempotency.validate_key(key)
        digest = idempotency.fingerprint(*fingerprint)
        caller = idempotency.caller_of(acting.principal)
        async with self._unit_of_work(acting.municipality) as uow:
            previous = await self._keys.claim(uow, caller=caller, key=valid_key,
                                              fingerprint=digest)
            if previous is not None:
                return previous
            answer = await self._handle(command, handler, uow, acting)
            self._keys.remember(uow, caller=caller, key=valid_key, answer=answer)
            await uow.commit()
        return answer

    async def update(self, command: C, handler: Handler[C], *,
                     acting: Acting) -> JSONResponse:
        """A PATCH or PUT: no key to claim, its If-Match makes a repeat harmless (the
        handler checks the version); the rest as ``run``."""
        async with self._unit_of_work(acting.municipality) as uow:
            answer = await self._handle(command, handler, uow, acting)
            await uow.commit()
        return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)

    async def dry_run(self, command: C, handler: Handler[C], *, acting: Acting,
                      key: str | None) -> JSONResponse:
        """What the command would answer, with nothing written: no key claimed, no access
        logged, the transaction rolled back."""
        idempotency.validate_key(key)
        async with self._unit_of_work(acting.municipality) as uow:
            outcome = await handler(command, uow)
        answer = answer_of(outcome)
        return JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)

    async def _handle(self, command: C, handler: Handler[C], uow: Any,
                      acting: Acting) -> StoredResponse:
        outcome = await handler(command, uow)
        for access in outcome.accesses:
            stage_accesses(uow.staged, principal=acting.principal,
                           acting_municipality=acting.municipality, action=access.action,
                           subject_type=access.subject_type,
                           subject_ids=list(access.subject_ids), fields=access.fields,
                           purpose=access.purpose, grant_id=acting.grant_id)
        return answer_of(outcome)


def _required(db: Database | None) -> Database:
    if db is None:
        raise ValueError("a pipeline without a unit-of-work factory needs the database")
    return db
