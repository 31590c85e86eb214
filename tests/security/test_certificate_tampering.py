"""Verification trusts the platform's Ed25519 signatures, not the certificates table: whoever
can write the table (a stolen owner password, a bad backup restore) but holds no signing key
cannot make a forged or altered certificate verify as genuine.

Each test alters the stored row with the database owner's rights, as such an intruder would."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from integration.certificates_kit import Counter, certificates_app, feed, registered, state
from integration.conftest import SANJO, certificates_db

from kyodo_certificates.signing.signatures import content_message, pdf_message
from kyodo_common.db import asyncpg_dsn
from kyodo_testing import Infrastructure

pytestmark = pytest.mark.integration
__all__ = ["certificates_db"]  # the fixture, imported for the tests below
VERIFY = "/v1/certificates/verify"


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


@pytest.fixture
async def owner(infrastructure: Infrastructure) -> AsyncIterator[asyncpg.Connection]:
    """The database's owner, bound by row-level security like every role: in the town's
    scope for this session."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url("certificates")))
    await conn.execute("SELECT set_config('kyodo.municipality', $1, false)", SANJO)
    yield conn
    await conn.close()


async def _issue(client: httpx.AsyncClient, db: Any) -> tuple[str, bytes]:
    person = state(given="改竄", kana=("サンジョウ", "カイザン"))
    await feed(db, SANJO, registered(SANJO, person))
    issuance, pdf = await Counter(client, SANJO).issued_pdf(
        "residence", {"resident_id": str(person.resident_id)})
    return issuance["copies"][0]["verification_code"], pdf


@pytest.fixture
async def issued(client: httpx.AsyncClient, certificates_db: Any) -> tuple[str, bytes]:
    """A fresh certificate, genuine by code and by file before anyone touches it."""
    code, pdf = await _issue(client, certificates_db)
    assert await _by_code(client, code) == "genuine"
    assert await _by_file(client, pdf) == "genuine"
    return code, pdf


async def _by_code(client: httpx.AsyncClient, code: str) -> str:
    response = await client.get(f"{VERIFY}/{code}")
    assert response.status_code == 200, response.text
    result: str = response.json()["result"]
    return result


async def _by_file(client: httpx.AsyncClient, pdf: bytes) -> str:
    response = await client.post(VERIFY, content=pdf, headers={"Content-Type": "application/pdf"})
    assert response.status_code == 200, response.text
    result: str = response.json()["result"]
    return result


async def _alter(owner: asyncpg.Connection, code: str, assignment: str, *values: Any) -> None:
    # The assignments are this module's own fragments; the values are parameters.
    statement = f"UPDATE certificates SET {assignment} WHERE verification_code = $1"  # noqa: S608
    done = await owner.execute(statement, code, *values)
    assert done == "UPDATE 1"


def _forged(pdf: bytes) -> bytes:
    """The issued file with one byte changed (its verification code still in it)."""
    middle = len(pdf) // 2
    return pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1:]


async def test_a_forged_file_whose_hash_was_stored_is_not_genuine(
    client: httpx.AsyncClient, owner: asyncpg.Connection, issued: tuple[str, bytes],
) -> None:
    code, pdf = issued
    forged = _forged(pdf)
    await _alter(owner, code, "pdf_sha256 = $2", hashlib.sha256(forged).digest())
    assert await _by_file(client, forged) == "invalid"
    assert await _by_code(client, code) == "invalid"


async def test_a_forged_file_signed_with_another_key_is_not_genuine(
    client: httpx.AsyncClient, owner: asyncpg.Connection, issued: tuple[str, bytes],
) -> None:
    code, pdf = issued
    forged = _forged(pdf)
    digest = hashlib.sha256(forged).digest()
    intruder = Ed25519PrivateKey.generate()  # well-formed signatures, by the wrong key
    await _alter(owner, code, "pdf_sha256 = $2, pdf_signature = $3", digest,
                 intruder.sign(pdf_message(code, digest)))
    assert await _by_file(client, forged) == "invalid"


@pytest.mark.parametrize("column", ["pdf_signature", "content_signature"])
async def test_a_changed_signature_is_not_genuine(
    client: httpx.AsyncClient, owner: asyncpg.Connection, issued: tuple[str, bytes],
    column: str,
) -> None:
    code, pdf = issued
    await _alter(owner, code, f"{column} = set_byte({column}, 0, get_byte({column}, 0) # 1)")
    assert await _by_code(client, code) == "invalid"
    assert await _by_file(client, pdf) == "invalid"


async def test_another_certificates_signatures_do_not_make_a_record_genuine(
    client: httpx.AsyncClient, owner: asyncpg.Connection, issued: tuple[str, bytes],
    certificates_db: Any,
) -> None:
    """Both signatures and the hash of another genuine certificate: each signature is bound
    to its own certificate (its verification code, its content)."""
    code, _ = issued
    other, other_pdf = await _issue(client, certificates_db)
    row = await owner.fetchrow("SELECT pdf_sha256, pdf_signature, content_signature "
                               "FROM certificates WHERE verification_code = $1", other)
    await _alter(owner, code, "pdf_sha256 = $2, pdf_signature = $3, content_signature = $4",
                 *row.values())
    assert await _by_code(client, code) == "invalid"
    assert await _by_file(client, other_pdf) == "genuine"  # the other one is untouched


async def test_a_content_signature_by_another_key_is_not_genuine(
    client: httpx.AsyncClient, owner: asyncpg.Connection, issued: tuple[str, bytes],
) -> None:
    code, _ = issued
    intruder = Ed25519PrivateKey.generate()
    await _alter(owner, code, "content_signature = $2",
                 intruder.sign(content_message(b"{}")))
    assert await _by_code(client, code) == "invalid"


@pytest.mark.parametrize(("assignment", "value"), [
    ("issued_on = $2", datetime.date(2001, 1, 1)),
    ("kind = $2", "tax"),
    ("title = $2", "課税証明書"),
])
async def test_a_changed_fact_is_not_genuine(
    client: httpx.AsyncClient, owner: asyncpg.Connection, issued: tuple[str, bytes],
    assignment: str, value: Any,
) -> None:
    """The facts answered (kind, title, date) are checked against the signed content."""
    code, pdf = issued
    await _alter(owner, code, assignment, value)
    assert await _by_code(client, code) == "invalid"
    assert await _by_file(client, pdf) == "invalid"


async def test_a_changed_sealed_content_is_not_genuine(
    client: httpx.AsyncClient, owner: asyncpg.Connection, issued: tuple[str, bytes],
) -> None:
    code, _ = issued
    await _alter(owner, code, "content = set_byte(content, 20, get_byte(content, 20) # 1)")
    assert await _by_code(client, code) == "invalid"  # not a 500
