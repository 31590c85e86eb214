"""Platform operators: they add and configure municipalities and rotate the signing keys."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from kyodo_common.db import Database
from kyodo_identity.adapters.platform_unit import PlatformUnit
from kyodo_identity.domain.platform import (
    OPERATOR_KIND,
    OPERATOR_ROLE,
    OPERATOR_SCOPES,
    PLATFORM_CODE,
)
from kyodo_identity.service_layer.credentials import Work, authenticate
from kyodo_identity.service_layer.passwords import Verifier, hasher


class OperatorStore(Protocol):
    async def add_unless_known(self, *, operator_id: uuid.UUID, login: str,
                               password_hash: str) -> None:
        """A new operator, unless one with this login exists."""


def operator_claims(row: Any) -> dict[str, Any]:
    return {"sub": str(row.id), "municipality": PLATFORM_CODE, "kind": OPERATOR_KIND,
            "roles": [OPERATOR_ROLE], "scope": " ".join(sorted(OPERATOR_SCOPES)),
            "name": row.login}


async def login_operator(*, db: Database, login: str, password: str,
                         hashing: Verifier) -> dict[str, Any]:
    """The operator's token claims; a refusal is audited in the platform chain."""

    def open_work() -> AbstractAsyncContextManager[Work]:
        return PlatformUnit(db)

    row = await authenticate(open_work=open_work, kind=OPERATOR_KIND, login=login,
                             password=password, hashing=hashing)
    return operator_claims(row)


async def ensure_operator(store: OperatorStore, *, login: str, password: str) -> None:
    """Create the operator unless one with this login exists (the demo seed)."""
    await store.add_unless_known(operator_id=uuid.uuid4(), login=login,
                                     password_hash=hasher.hash(password))
