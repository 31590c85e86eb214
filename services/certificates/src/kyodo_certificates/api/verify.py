"""The public verification: no login, no personal data (the gateway routes it as public).

`GET /v1/certificates/verify/{code}` for the code printed on the paper or in its QR code;
`POST /v1/certificates/verify` with the PDF file as the body; `GET …/verify/keys` for the
public keys (JWK) that verify the platform's signatures.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kyodo_certificates.api.deps import KeyringDep
from kyodo_certificates.api.schemas import Verification
from kyodo_certificates.service_layer.verification import Result, verify_code, verify_pdf
from kyodo_certificates.signing.keys import jwk
from kyodo_common.errors import Problem

router = APIRouter(prefix="/v1/certificates/verify", tags=["verification"])
# Answers may be cached by nobody: a certificate can be voided at any time.
NO_STORE = {"Cache-Control": "no-store"}


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


@router.post("", response_model=Verification,
             openapi_extra={"requestBody": {"content": {"application/pdf": {}},
                                            "required": True}})
async def by_file(request: Request, keyring: KeyringDep) -> JSONResponse:
    """The uploaded PDF must be the issued file exactly: any changed byte makes it invalid."""
    pdf = await request.body()
    if not pdf:
        raise Problem(400, "PDF required", kind="pdf-required",
                      detail="send the certificate's PDF file as the request body",
                      invalid_params=[{"name": "body", "reason": "empty"}])
    verdict = await verify_pdf(keyring, pdf)
    return JSONResponse(verdict.body(), headers=NO_STORE)
