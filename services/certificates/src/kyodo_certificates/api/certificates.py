"""Issued certificates: their record, their PDF again, voiding."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from kyodo_certificates.adapters.views import CertificatesViews
from kyodo_certificates.api.deps import Db, Issuer, KeyringDep, Pipeline
from kyodo_certificates.api.schemas import CertificatePublic, VoidCreate, VoidResult
from kyodo_certificates.domain import rules
from kyodo_certificates.service_layer import handlers
from kyodo_certificates.service_layer.commands import VoidCertificate
from kyodo_common import privacy
from kyodo_common.audit import record_access
from kyodo_common.errors import NotFound
from kyodo_common.web import IdempotencyKey, MunicipalityCode, Purpose

router = APIRouter(prefix="/v1/municipalities/{code}/certificates", tags=["certificates"])
_PUBLIC = tuple(CertificatePublic.model_fields)
_FOR_PDF = ("pdf", "subject_ids", "fields", "kind", "issued_by", "issued_by_home")


@router.get("/{certificate_id}", response_model=CertificatePublic)
async def read_certificate(code: MunicipalityCode, certificate_id: UUID, acting: Issuer, db: Db
               ) -> CertificatePublic:
    """The issuance record (numbers, code, status); no personal data beyond ids."""
    async with db.tenant_transaction(code) as session:
        row = await CertificatesViews(session).certificate(certificate_id, _PUBLIC)
    if row is None:
        raise NotFound("certificate")
    return CertificatePublic.model_validate(dict(row._mapping))


@router.get("/{certificate_id}/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def pdf(code: MunicipalityCode, certificate_id: UUID, acting: Issuer, purpose: Purpose,
              db: Db, keyring: KeyringDep) -> Response:
    """The issued PDF, byte for byte (so it still verifies); the read is access-logged."""
    async with db.tenant_transaction(code) as session:
        views = CertificatesViews(session)
        row = await views.certificate(certificate_id, _FOR_PDF)
        if row is None:
            raise NotFound("certificate")
        rules.require_issuer_or_manager(acting, code=code, issued_by=row.issued_by,
                                        issued_by_home=row.issued_by_home, action="download")
        if (row.kind != "damage" and not privacy.sees_protected()
                and not await views.all_visible(list(row.subject_ids))):
            raise NotFound("certificate")  # it shows a person this caller may not see
        for subject in row.subject_ids:
            await record_access(session, principal=acting.principal, acting_municipality=code,
                                action=f"certificate.pdf_read.{row.kind}",
                                subject_type="resident", subject_id=str(subject),
                                fields=row.fields, purpose=purpose, grant_id=acting.grant_id)
    return Response(keyring.sealer.open(row.pdf, bound_to=str(certificate_id)),
                    media_type="application/pdf")


@router.post("/{certificate_id}/void", response_model=VoidResult)
async def void_certificate(code: MunicipalityCode, certificate_id: UUID, body: VoidCreate,
                           acting: Issuer, pipeline: Pipeline,
                           key: IdempotencyKey = None) -> JSONResponse:
    """無効にする: from now on, verification of this copy answers "voided"."""
    command = VoidCertificate(certificate_id=certificate_id, reason=body.reason, acting=acting)
    return await pipeline.run(command, handlers.void_certificate, acting=acting, key=key,
                              fingerprint=(f"void/{certificate_id}", {"reason": body.reason}))
