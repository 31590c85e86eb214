"""Every database role has its own password: the owner, the app and the relay of each service,
so a leaked service password opens that one role and no other."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote, urlsplit

import asyncpg
import pytest

from kyodo_common.db import asyncpg_dsn
from kyodo_launcher.catalogue import SERVICES, all_roles
from kyodo_launcher.provision import with_database
from kyodo_testing import Infrastructure

pytestmark = pytest.mark.integration


def _provisioned(infrastructure: Infrastructure) -> dict[str, tuple[str, str]]:
    """role -> (its password, its database), from the URLs the services are given."""
    found = {}
    for spec in SERVICES:
        for url in infrastructure.urls(spec.name).values():
            parts = urlsplit(url)
            found[unquote(parts.username or "")] = (unquote(parts.password or ""),
                                                    spec.database)
    return found


def test_each_role_has_a_url_of_its_own_and_a_password_no_other_role_has(
    infrastructure: Infrastructure,
) -> None:
    provisioned = _provisioned(infrastructure)
    assert sorted(provisioned) == sorted(all_roles())
    passwords = [password for password, _ in provisioned.values()]
    assert all(passwords) and len(set(passwords)) == len(passwords)


async def test_no_roles_password_opens_another_role(infrastructure: Infrastructure) -> None:
    """The server agrees (its SCRAM verifiers are salted, so it is asked): every role's
    password is tried on every other role of the platform."""
    provisioned = _provisioned(infrastructure)
    gate = asyncio.Semaphore(8)

    async def opens(password: str, role: str) -> bool:
        url = with_database(infrastructure.admin_url, provisioned[role][1], user=role,
                            password=password)
        async with gate:
            try:
                conn = await asyncpg.connect(asyncpg_dsn(url))
            except asyncpg.InvalidPasswordError:
                return False
            await conn.close()
            return True

    tries = [(a, b) for a in provisioned for b in provisioned if a != b]
    results = await asyncio.gather(*(opens(provisioned[a][0], b) for a, b in tries))
    assert [pair for pair, opened in zip(tries, results, strict=True) if opened] == []
    # ... and each role's own password does open it (the check above can fail).
    own = await asyncio.gather(*(opens(provisioned[r][0], r) for r in provisioned))
    assert all(own)
