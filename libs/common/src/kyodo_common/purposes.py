"""Purposes of reads of personal data: codes sent in `X-Kyodo-Purpose`, labels in Japanese.

A purpose travels as an ASCII code (an HTTP header carries bytes that ASGI decodes as latin-1,
so Japanese text in it would be stored as mojibake) and is stored in the access log as that
code. The platform's standard vocabulary is below; a municipality adds its own codes, named
`local-…`, with labels in its tenant configuration (identity). Services accept a standard code
or the form of a local one; the gateway, which holds every municipality's configuration,
refuses local codes that the path's municipality has not configured (docs/adr/0013).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kyodo_common.errors import Problem

PURPOSE_HEADER = "X-Kyodo-Purpose"
LOCAL_PREFIX = "local-"
MAX_LENGTH = 64
# Lower-case ASCII words joined by single hyphens: what a clerk's software can send verbatim.
CODE_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_CODE = re.compile(CODE_PATTERN)
WHERE_TO_LOOK = ("GET /v1/municipalities/{code}/identity/purposes lists the codes this "
                 "municipality accepts, with their labels")


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str  # Japanese, as residents read it in their access-log disclosure
    label_en: str


STANDARD: dict[str, Purpose] = {p.code: p for p in (
    Purpose("identity-check", "窓口での本人確認・照会", "identity check or inquiry at the counter"),
    Purpose("residence-certificate", "住民票の写し等の交付", "issuing residence certificates"),
    Purpose("register-procedure", "住民異動届等の受付", "moving in, moving out and other "
            "register procedures"),
    Purpose("transfer-notice", "転出入の通知処理", "processing moving-in/out notices between "
            "municipalities"),
    Purpose("my-number", "個人番号利用事務", "procedures using the My Number (番号法)"),
    Purpose("tax-assessment", "課税事務", "resident tax assessment"),
    Purpose("tax-certificate", "課税証明書の交付", "issuing tax certificates"),
    Purpose("tax-collection", "徴収事務", "tax collection, e.g. switching special to ordinary "
            "collection"),
    Purpose("salary-report", "給与支払報告書の受付", "receiving employers' salary reports"),
    Purpose("disaster-response", "災害対応・罹災証明", "disaster response, damage surveys and "
            "damage certificates"),
    Purpose("support", "応援職員の業務", "work of support staff from another municipality"),
    Purpose("automation", "定型業務の自動処理", "automated routine processing"),
    Purpose("audit", "監査・本人開示", "audit and disclosure to the resident"),
    Purpose("system-check", "システムの動作確認・試験", "operational checks and tests of the "
            "system"),
)}


def is_local(code: str) -> bool:
    return code.startswith(LOCAL_PREFIX)


def is_code(value: str) -> bool:
    """The form of a code: ASCII kebab-case, at most 64 characters."""
    return len(value) <= MAX_LENGTH and value.isascii() and _CODE.fullmatch(value) is not None


def refused(reason: str) -> Problem:
    """A header's fault, answered at the edge (here and at the gateway): a 422 naming it."""
    detail = f"{reason}; {WHERE_TO_LOOK}"
    return Problem(422, "Invalid input", detail=detail, kind="invalid-input",
                   invalid_params=[{"name": PURPOSE_HEADER, "reason": detail}])


def check_purpose(value: str) -> str:
    """A standard code or a well-formed local code; anything else is a 422 naming the header.

    Local codes are checked against the municipality's configuration at the gateway."""
    code = value.strip()
    if not is_code(code):
        raise refused("a purpose is a code such as residence-certificate (lower-case ASCII "
                      "words joined by hyphens, at most 64 characters), not free text")
    if code not in STANDARD and not is_local(code):
        raise refused(f"unknown purpose code {code!r}")
    return code
