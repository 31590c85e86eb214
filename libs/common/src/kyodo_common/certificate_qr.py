"""The offline statement in a certificate's QR code: what the paper shows, signed (ADR 0005).

A printed certificate's QR reads ``{verify_url}#k1.{kid}.{signature}.{statement}``: the
browser never sends the fragment, so a phone still opens the online check, and a partner
with only the published JWKS (``GET /v1/certificates/verify/keys``, fetched once) checks the
rest offline. The statement is the few fields a clerk compares with the paper by eye — kind,
municipality code, issue date, each person's name and birth date as printed — as plain UTF-8
text, not base64: QR byte mode carries UTF-8 as is, and base64 would cost a third more
modules. Birth dates are shortened (昭和55年1月2日 → S55.1.2) to keep a household of six
within QR version 15 at error level M. The Ed25519 signature is over a domain-separated
message that also binds the verification code in the URL's path, so a statement cannot be
moved to another certificate's URL. Only the standard library and ``cryptography``: a
partner can copy this one file.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

DOMAIN = b"kyodo-certificate-offline\x00"
VERSION = "k1"
_ERAS = (("明治", "M"), ("大正", "T"), ("昭和", "S"), ("平成", "H"), ("令和", "R"))
_DATE_MARKS = (("年", "."), ("月", "."), ("日", ""))
_FORBIDDEN = set("|;~\n")  # separators of the statement's text


@dataclass(frozen=True)
class Person:
    name: str
    birth: str  # as printed (昭和55年1月2日)


@dataclass(frozen=True)
class Statement:
    verification_code: str
    kind: str
    municipality_code: str
    issued_on: str  # ISO date
    people: tuple[Person, ...]


@dataclass(frozen=True)
class Checked:
    valid: bool
    reason: str  # "" when valid
    kid: str = ""
    statement: Statement | None = None


def _shorten(birth: str) -> str:
    for long, short in (*_ERAS, *_DATE_MARKS):
        birth = birth.replace(long, short)
    return birth


def _lengthen(birth: str) -> str:
    for long, short in _ERAS:
        if birth.startswith(short):
            parts = birth[1:].split(".")
            if len(parts) == 3:
                return f"{long}{parts[0]}年{parts[1]}月{parts[2]}日"
    return birth


def _clean(text: str) -> str:
    """A name never contains a separator; one that did would be replaced, not misparsed."""
    return "".join("\u3000" if ch in _FORBIDDEN else ch for ch in text)


def statement_text(statement: Statement) -> str:
    people = ";".join(f"{_clean(p.name)}~{_clean(_shorten(p.birth))}"
                      for p in statement.people)
    return "|".join((statement.kind, statement.municipality_code,
                     statement.issued_on.replace("-", ""), people))


def message(verification_code: str, kid: str, text: str) -> bytes:
    return DOMAIN + f"{verification_code}\x00{kid}\x00{text}".encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def qr_text(verify_url: str, statement: Statement, kid: str,
            sign: Callable[[bytes], bytes]) -> str:
    """The QR's content: the verification URL with the signed statement as its fragment."""
    text = statement_text(statement)
    signature = sign(message(statement.verification_code, kid, text))
    return f"{verify_url}#{VERSION}.{kid}.{_b64(signature)}.{text}"


def public_keys(jwks: Mapping[str, Any]) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 keys of a JWKS as published (RFC 8037 OKP)."""
    keys = {}
    for key in jwks.get("keys", []):
        if key.get("kty") == "OKP" and key.get("crv") == "Ed25519" and "kid" in key:
            keys[key["kid"]] = Ed25519PublicKey.from_public_bytes(_unb64(key["x"]))
    return keys


def _parse(text: str, code: str) -> Statement:
    kind, municipality, day, people = text.split("|")
    persons = []
    for entry in people.split(";") if people else []:
        name, birth = entry.split("~")
        persons.append(Person(name, _lengthen(birth)))
    if len(day) != 8 or not day.isdigit():
        raise ValueError("issue date")
    return Statement(code, kind, municipality, f"{day[:4]}-{day[4:6]}-{day[6:]}",
                     tuple(persons))


def verify(scanned: str, keys: Mapping[str, Ed25519PublicKey]) -> Checked:
    """Checks a scanned QR's text with the published keys only: no network, no database."""
    url, hashmark, fragment = scanned.strip().partition("#")
    if not hashmark:
        return Checked(False, "no offline statement (a QR from before ADR 0005's addendum)")
    code = url.rstrip("/").rsplit("/", 1)[-1]
    if "%" in fragment:  # copied from a browser's address bar, which percent-encodes it
        fragment = unquote(fragment)
    parts = fragment.split(".", 3)
    if len(parts) != 4 or parts[0] != VERSION:
        return Checked(False, "unknown statement format")
    _, kid, signature, text = parts
    try:
        statement = _parse(text, code)
        raw_signature = _unb64(signature)
    except ValueError:
        return Checked(False, "malformed statement", kid)
    public = keys.get(kid)
    if public is None:
        return Checked(False, "signed by a key not in the published keys", kid, statement)
    try:
        public.verify(raw_signature, message(code, kid, text))
    except InvalidSignature:
        return Checked(False, "signature does not match the statement", kid, statement)
    return Checked(True, "", kid, statement)


def people_of(blocks: Sequence[Sequence[tuple[str, str]]]) -> tuple[Person, ...]:
    """Each block's 氏名 and 生年月日 (label, value) lines, in printed order."""
    found = []
    for block in blocks:
        values = dict(block)
        if "氏名" in values:
            found.append(Person(values["氏名"], values.get("生年月日", "")))
    return tuple(found)
