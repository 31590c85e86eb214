"""照合: is this code, or this PDF, a genuine certificate? Type, date and town only.

Nothing personal is ever answered: a stranger holding a code or a file learns whether it is
genuine, voided or altered, what kind of certificate it is, when and by which municipality it
was issued. An unknown code says only that it is unknown.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidTag

from kyodo_certificates.adapters.views import CertificatesViews
from kyodo_certificates.domain.kinds import Status
from kyodo_certificates.domain.verification_code import code_in_pdf, municipality_of, parse_code
from kyodo_certificates.service_layer.keyring import Keyring
from kyodo_certificates.signing.signatures import content_message, pdf_message, verifies
from kyodo_common.tenancy import is_valid_municipality_code


class Result(StrEnum):
    GENUINE = "genuine"
    INVALID = "invalid"
    VOIDED = "voided"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Verdict:
    result: Result
    facts: dict[str, Any]

    def body(self) -> dict[str, Any]:
        return {"result": self.result.value, **self.facts}


NOT_FOUND = Verdict(Result.NOT_FOUND, {})
async def _record(keyring: Keyring, code: str) -> Any:
    tenant = municipality_of(code)
    if not is_valid_municipality_code(tenant):
        return None
    async with keyring.db.tenant_transaction(tenant) as session:
        return await CertificatesViews(session).by_verification_code(code)


async def _signed(keyring: Keyring, row: Any) -> bool:
    """The stored record is what the platform signed: content and PDF hash both verify, and
    the facts answered from the row's clear columns are the signed ones. Whoever can write
    the table but holds no signing key can make a record invalid, never genuine."""
    public = await keyring.public(row.key_id)
    if public is None:
        return False
    try:
        content = keyring.sealer.open(row.content, bound_to=str(row.id))
    except InvalidTag:  # the sealed content was altered
        return False
    return (verifies(public, bytes(row.content_signature), content_message(content))
            and verifies(public, bytes(row.pdf_signature),
                         pdf_message(row.verification_code, bytes(row.pdf_sha256)))
            and _states_the_signed_facts(row, content))


def _states_the_signed_facts(row: Any, content: bytes) -> bool:
    signed = json.loads(content)
    stated = {"kind": row.kind, "title": row.title, "issued_on": row.issued_on.isoformat(),
              "municipality_code": row.municipality_code,
              "verification_code": row.verification_code}
    return all(signed.get(name) == value for name, value in stated.items())


def _facts(row: Any, municipality_name: str | None) -> dict[str, Any]:
    facts = {"kind": row.kind, "title": row.title, "issued_on": row.issued_on.isoformat(),
             "municipality_code": row.municipality_code,
             "municipality_name": municipality_name}
    if row.voided_at is not None:
        facts["voided_on"] = row.voided_at.date().isoformat()
    return facts


async def _verdict(keyring: Keyring, row: Any, *, matches: bool) -> Verdict:
    async with keyring.db.tenant_transaction(row.municipality_code) as session:
        town = await CertificatesViews(session).municipality(row.municipality_code)
    facts = _facts(row, town.name if town else None)
    if not matches or not await _signed(keyring, row):
        return Verdict(Result.INVALID, facts)
    if row.status == Status.VOIDED:
        return Verdict(Result.VOIDED, facts)
    return Verdict(Result.GENUINE, facts)


async def verify_code(keyring: Keyring, text: str) -> Verdict:
    code = parse_code(text)
    row = await _record(keyring, code) if code else None
    return await _verdict(keyring, row, matches=True) if row else NOT_FOUND


async def verify_pdf(keyring: Keyring, pdf: bytes) -> Verdict:
    """The uploaded bytes must be exactly the issued ones (SHA-256), and signed."""
    code = code_in_pdf(pdf)
    if code is None:
        return Verdict(Result.INVALID, {})  # not a certificate of this platform at all
    row = await _record(keyring, code)
    if row is None:
        return NOT_FOUND
    matches = hmac.compare_digest(hashlib.sha256(pdf).digest(), bytes(row.pdf_sha256))
    return await _verdict(keyring, row, matches=matches)
