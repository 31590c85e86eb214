"""The public verification: no login, no personal data (the gateway routes it as public).

`GET /v1/certificates/verify/{code}` for the code printed on the paper or in its QR code;
`POST /v1/certificates/verify` with the PDF file, as the body (`application/pdf`) or as the
field `file` of a form (`multipart/form-data`, what a browser's upload form sends); `GET
…/verify/keys` for the public keys (JWK) that verify the platform's signatures.

Only the file's own bytes are compared with the issued ones, never the form around them: an
upload that is not a PDF file is refused (415, 422), never answered "invalid".
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from kyodo_certificates.api.deps import KeyringDep
from kyodo_certificates.api.schemas import Verification
from kyodo_certificates.service_layer.verification import Result, verify_code, verify_pdf
from kyodo_certificates.signing.keys import jwk
from kyodo_common.errors import InvalidInput, Problem

router = APIRouter(prefix="/v1/certificates/verify", tags=["verification"])
# Answers may be cached by nobody: a certificate can be voided at any time.
NO_STORE = {"Cache-Control": "no-store"}
PDF_HEADER = b"%PDF-"


@router.get("/keys")
async def keys(keyring: KeyringDep) -> dict[str, Any]:
    return {"keys": [jwk(kid, public) for kid, public in sorted(keyring.publics.items())]}


@router.get("/{code}", response_model=Verification,
            responses={404: {"description": "no certificate has this code"}})
async def by_code(code: str, keyring: KeyringDep) -> JSONResponse:
    """Genuine, voided or invalid, with the kind, issue date and municipality."""
    verdict = await verify_code(keyring, code[:64])
    if verdict.result is Result.NOT_FOUND:
        raise Problem(404, "Not found", kind="not-found",
                      detail="no certificate has this verification code",
                      headers=NO_STORE)
    return JSONResponse(verdict.body(), headers=NO_STORE)


PDF_TYPES = frozenset({"application/pdf"})
FORM = "multipart/form-data"
FILE_FIELD = "file"
_BINARY = {"type": "string", "format": "binary"}
_UPLOAD = {
    "required": True,
    "content": {
        "application/pdf": {"schema": _BINARY},
        FORM: {"schema": {"type": "object", "required": [FILE_FIELD],
                          "properties": {FILE_FIELD: _BINARY}}},
    },
}
_REFUSED: dict[str, Any] = {"content": {"application/problem+json": {}}}


@router.post("", response_model=Verification, openapi_extra={"requestBody": _UPLOAD},
             responses={415: {"description": "neither a PDF nor a form", **_REFUSED},
                        422: {"description": "no file, an unreadable form, or not a PDF file",
                              **_REFUSED}})
async def by_file(request: Request, keyring: KeyringDep) -> JSONResponse:
    """The uploaded PDF must be the issued file exactly: any changed byte makes it invalid."""
    verdict = await verify_pdf(keyring, await _uploaded_pdf(request))
    return JSONResponse(verdict.body(), headers=NO_STORE)


async def _uploaded_pdf(request: Request) -> bytes:
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media in PDF_TYPES:
        field, pdf = "body", await request.body()
    elif media == FORM:
        field, pdf = FILE_FIELD, await _form_file(request)
    else:
        raise Problem(415, "Unsupported media type", kind="unsupported-media-type",
                      detail="send the certificate's PDF as application/pdf, or as the field "
                             f"{FILE_FIELD} of a {FORM} form", headers=NO_STORE)
    if not pdf:
        raise InvalidInput(field, "the file is empty")
    if PDF_HEADER not in pdf[:1024]:  # where PDF readers look for the header
        raise InvalidInput(field, "not a PDF file")
    return pdf


async def _form_file(request: Request) -> bytes:
    """The one file in the form's field ``file``."""
    try:
        async with request.form(max_files=1, max_fields=8) as form:
            files = form.getlist(FILE_FIELD)
            if len(files) != 1 or not isinstance(files[0], UploadFile):
                raise InvalidInput(FILE_FIELD, "the form needs exactly one file in this field")
            return await files[0].read()
    except HTTPException as exc:  # Starlette's 400 for a form it cannot read (or too many files)
        if exc.status_code != 400:
            raise
        raise InvalidInput(FILE_FIELD, exc.detail) from None
