"""Issuing: 住民票の写し, 課税証明書 / 非課税証明書, 罹災証明書, 被災証明書.

Each answers 201 with the issuance (every copy's number, verification code and PDF link), or,
with `Accept: application/pdf` and one copy, the signed PDF itself (its id and code in
headers), so a counter prints with one request.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kyodo_certificates.adapters.views import CertificatesViews
from kyodo_certificates.api.deps import Accept, Issuer, IssuingDep, Pipeline, Settings
from kyodo_certificates.api.schemas import (
    DamageCreate,
    DamageReportCreate,
    Issuance,
    IssueCreate,
    ResidenceCreate,
    TaxCreate,
)
from kyodo_certificates.domain.issue_number import station
from kyodo_certificates.service_layer.commands import Counter, IssueCertificate
from kyodo_certificates.service_layer.drafts import (
    Compose,
    DamageDraft,
    DamageReportDraft,
    ResidenceDraft,
    TaxDraft,
)
from kyodo_certificates.service_layer.issuing import Issued, issue
from kyodo_certificates.service_layer.my_numbers import ResidentsMyNumbers
from kyodo_common import idempotency
from kyodo_common.assertion import ASSERTION_HEADER, Acting
from kyodo_common.errors import InvalidInput, Problem
from kyodo_common.web import PURPOSE_HEADER, IdempotencyKey, MunicipalityCode, Purpose

router = APIRouter(prefix="/v1/municipalities/{code}/certificates", tags=["certificates"])
PDF = "application/pdf"
ISSUED: dict[int | str, dict[str, Any]] = {
    201: {"content": {PDF: {}}, "description": "the issuance, or the PDF itself"}}


def _wants_pdf(accept: str | None, copies: int) -> bool:
    if not accept or PDF not in accept:
        return False
    if copies != 1:
        raise Problem(406, "Not acceptable", kind="not-acceptable",
                      detail="a PDF is answered for one copy; ask JSON for several",
                      invalid_params=[{"name": "copies", "reason": "1 with Accept: PDF"}])
    return True


async def _pdf_of(issuing: Any, code: str, issued: Issued) -> bytes:
    """The first copy's PDF: this request's, or the stored one when the key was replayed."""
    certificate_id = issued.body["copies"][0]["certificate_id"]
    if certificate_id in issued.pdfs:
        return issued.pdfs[certificate_id]
    async with issuing.db.tenant_transaction(code) as session:
        sealed = await CertificatesViews(session).sealed_pdf(certificate_id)
    opened: bytes = issuing.keyring.sealer.open(sealed, bound_to=str(certificate_id))
    return opened


async def _issue(*, kind: str, body: IssueCreate, compose: Compose, code: str, acting: Acting,
                 purpose: str, issuing: Any, settings: Any, key: str | None,
                 accept: str | None, pipeline: Any) -> Response:
    idempotency.validate_key(key)  # the key's problem first, as before any other
    if body.copies > settings.max_copies:
        raise InvalidInput("copies", f"at most {settings.max_copies} copies per request")
    counter = Counter(station(body.terminal, "terminal"), station(body.printer, "printer"))
    wants_pdf = _wants_pdf(accept, body.copies)
    command = IssueCertificate(kind=kind, compose=compose, copies=body.copies,
                               counter=counter, purpose=purpose,
                               payload=body.model_dump(mode="json"))
    issued = await issue(issuing, command, pipeline=pipeline, acting=acting, key=key)
    timing = {"Server-Timing": issued.server_timing()} if issued.timings else {}
    if not wants_pdf or issued.status != 201:
        return JSONResponse(issued.body, status_code=issued.status, headers=timing)
    first = issued.body["copies"][0]
    return Response(await _pdf_of(issuing, code, issued), status_code=201, media_type=PDF,
                    headers={"Location": first["pdf"],
                             "X-Kyodo-Certificate-Id": first["certificate_id"],
                             "X-Kyodo-Verification-Code": first["verification_code"],
                             **timing})


def _credentials(request: Request, purpose: str) -> dict[str, str]:
    """The caller's own credentials, for the residents service to judge (個人番号)."""
    headers = {PURPOSE_HEADER: purpose}
    for name in (ASSERTION_HEADER, "Authorization"):
        if request.headers.get(name):
            headers[name] = request.headers[name]
    return headers


@router.post("/residence", status_code=201, response_model=Issuance, responses=ISSUED)
async def issue_residence_certificate(code: MunicipalityCode, body: ResidenceCreate, acting: Issuer,
                    purpose: Purpose, issuing: IssuingDep, settings: Settings, request: Request,
                    pipeline: Pipeline,
                    key: IdempotencyKey = None, accept: Accept = None) -> Response:
    """住民票の写し: 個人票, or 世帯連記式 (4 persons per sheet) of the household."""
    my_numbers = ResidentsMyNumbers(http=request.app.state.http,
                                    base_url=settings.residents_url, municipality_code=code,
                                    acting=acting, credentials=_credentials(request, purpose))
    compose = ResidenceDraft(layout=body.layout, resident_id=body.resident_id,
                             members=tuple(body.members) if body.members else None,
                             items=frozenset(body.items), applicant=body.applicant.resident_id,
                             my_numbers=my_numbers)
    return await _issue(kind="residence", body=body, compose=compose, code=code, acting=acting,
                        purpose=purpose, issuing=issuing, settings=settings, key=key,
                        accept=accept, pipeline=pipeline)


@router.post("/tax", status_code=201, response_model=Issuance, responses=ISSUED)
async def tax(code: MunicipalityCode, body: TaxCreate, acting: Issuer, purpose: Purpose,
              issuing: IssuingDep, settings: Settings, pipeline: Pipeline,
              key: IdempotencyKey = None,
              accept: Accept = None) -> Response:
    """課税証明書 (非課税証明書 when the year's tax is 0), by the 1 January municipality."""
    compose = TaxDraft(resident_id=body.resident_id, fiscal_year=body.fiscal_year,
                       applicant=body.applicant.resident_id)
    return await _issue(kind="tax", body=body, compose=compose, code=code, acting=acting,
                        purpose=purpose, issuing=issuing, settings=settings, key=key,
                        accept=accept, pipeline=pipeline)


@router.post("/damage", status_code=201, response_model=Issuance, responses=ISSUED)
async def damage(code: MunicipalityCode, body: DamageCreate, acting: Issuer, purpose: Purpose,
                 issuing: IssuingDep, settings: Settings, pipeline: Pipeline,
              key: IdempotencyKey = None,
                 accept: Accept = None) -> Response:
    """罹災証明書: the damage grade of the house and the disaster (災害対策基本法 §90-2)."""
    compose = DamageDraft(assessment_id=body.assessment_id,
                          applicant=body.applicant.resident_id)
    return await _issue(kind="damage", body=body, compose=compose, code=code, acting=acting,
                        purpose=purpose, issuing=issuing, settings=settings, key=key,
                        accept=accept, pipeline=pipeline)


@router.post("/damage-report", status_code=201, response_model=Issuance, responses=ISSUED)
async def damage_report(code: MunicipalityCode, body: DamageReportCreate, acting: Issuer,
                        purpose: Purpose, issuing: IssuingDep, settings: Settings,
                        pipeline: Pipeline, key: IdempotencyKey = None,
                        accept: Accept = None) -> Response:
    """被災証明書: that the person reported damage (household goods, vehicles, buildings that
    are not homes, or the bare fact) from a disaster this municipality declared, on the
    application and without a survey; within the disaster's application window."""
    compose = DamageReportDraft(disaster_id=body.disaster_id, resident_id=body.resident_id,
                                properties=tuple(body.properties), location=body.location,
                                description=body.description,
                                applicant=body.applicant.resident_id)
    return await _issue(kind="damage_report", body=body, compose=compose, code=code,
                        acting=acting, purpose=purpose, issuing=issuing, settings=settings,
                        key=key, accept=accept, pipeline=pipeline)
