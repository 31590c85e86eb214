"""The certificates API in process, read models fed through the consumers' own handlers, and
the PDF looked at as a person would: its text, and PNG pages under test-artifacts/."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
from asn1crypto import x509 as asn1_x509
from kyodo_disaster_events import DisasterDeclared
from kyodo_identity_events import MunicipalityConfigured
from kyodo_identity_events.tenant_config import TenantConfig
from kyodo_residents_events import (
    ResidentRegisterChanged,
    ResidentRegistered,
    ResidentState,
)
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from kyodo_certificates.adapters.read_model_store import CertificatesInboxUnitOfWork
from kyodo_certificates.main import create_app
from kyodo_certificates.service_layer.when_damage_is_assessed_update_assessments import (
    when_damage_is_assessed_update_assessments,
)
from kyodo_certificates.service_layer.when_disaster_declared_remember_it import (
    when_disaster_declared_remember_it,
)
from kyodo_certificates.service_layer.when_municipality_configured_update_municipalities import (
    when_municipality_configured_update_municipalities,
)
from kyodo_certificates.service_layer.when_register_changes_update_residents import (
    when_register_changes_update_residents,
)
from kyodo_certificates.service_layer.when_tax_is_assessed_update_assessments import (
    when_tax_is_assessed_update_assessments,
)
from kyodo_certificates.settings import CertificatesSettings
from kyodo_certificates.signing.pki import Authority, cert_der, load_root
from kyodo_certificates.upstream.disaster import DamageAssessed
from kyodo_certificates.upstream.tax import TaxAssessed
from kyodo_common.db import Database
from kyodo_common.events import DomainEvent, Envelope
from kyodo_testing import Infrastructure, PlatformKeys, TokenMinter

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "certificates"
ISSUER_SCOPES = "certificates:issue certificates:manage residents:read protected:read"
PURPOSE = "residence-certificate"


@asynccontextmanager
async def certificates_app(infrastructure: Infrastructure, var_dir: Path
                           ) -> AsyncIterator[httpx.AsyncClient]:
    settings = CertificatesSettings(
        database_url=infrastructure.urls("certificates")["DATABASE_URL"], var_dir=var_dir,
        verify_base_url="https://kyodo.example", **PlatformKeys.shared().env("certificates"))
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        app.state.verifier.set_keys(TokenMinter.shared().jwks)
        await configure_demo_towns(app.state.db)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://certificates") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


class Counter:
    """A clerk at a municipality's certificate counter."""

    def __init__(self, client: httpx.AsyncClient, code: str,
                 scopes: str = ISSUER_SCOPES) -> None:
        self.client, self.code = client, code
        self.headers = {"Authorization": f"Bearer {TokenMinter.shared().token(code, scopes)}",
                        "X-Kyodo-Purpose": PURPOSE}

    def url(self, path: str) -> str:
        return f"/v1/municipalities/{self.code}/certificates{path}"

    async def issue(self, kind: str, body: dict[str, Any], *, key: str | None = None,
                    **headers: str) -> httpx.Response:
        payload = {"terminal": "本庁1", "printer": "プリンタ001", **body}
        return await self.client.post(self.url(f"/{kind}"), json=payload, headers={
            **self.headers, "Idempotency-Key": key or uuid.uuid4().hex, **headers})

    async def issued_pdf(self, kind: str, body: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        response = await self.issue(kind, body)
        assert response.status_code == 201, response.text
        issuance: dict[str, Any] = response.json()
        pdf = await self.client.get(issuance["copies"][0]["pdf"], headers=self.headers)
        assert pdf.status_code == 200, pdf.text
        assert pdf.headers["content-type"] == "application/pdf"
        return issuance, pdf.content


async def configure_demo_towns(db: Database) -> None:
    """What identity's MunicipalityConfigured events of the demo towns tell certificates under
    `make run` (it issues nothing for a town whose configuration has not arrived); a test
    that configures a town itself publishes a later version, which wins."""
    from kyodo_identity.domain.demo import DEMO_MUNICIPALITIES

    for town in DEMO_MUNICIPALITIES:
        await feed(db, town.code, MunicipalityConfigured(
            code=town.code, name=town.name, name_en=town.name_en, prefecture=town.prefecture,
            config=TenantConfig.model_validate(town.config), version=0))


def envelope(municipality: str) -> Envelope:
    return Envelope(type="test", source="tests", subject="", municipality=municipality,
                    data=b"{}")


async def feed(db: Database, municipality: str, *events: DomainEvent) -> None:
    """As the worker would: each event in the tenant's transaction, through its handler."""
    for event in events:
        async with db.tenant_transaction(municipality) as session:
            uow = CertificatesInboxUnitOfWork(session)
            if isinstance(event, ResidentRegisterChanged):
                await when_register_changes_update_residents(
                    uow, [(event, envelope(municipality))])
            elif isinstance(event, MunicipalityConfigured):
                await when_municipality_configured_update_municipalities(
                    uow, event, envelope(municipality))
            elif isinstance(event, TaxAssessed):
                await when_tax_is_assessed_update_assessments(uow, event,
                                                              envelope(municipality))
            elif isinstance(event, DamageAssessed):
                await when_damage_is_assessed_update_assessments(uow, event,
                                                                 envelope(municipality))
            elif isinstance(event, DisasterDeclared):
                await when_disaster_declared_remember_it(uow, event, envelope(municipality))
            else:
                raise TypeError(type(event))


def state(*, family: str = "三条", given: str = "太郎", kana: tuple[str, str] = ("サンジョウ",
          "タロウ"), birth: date | None = date(1980, 4, 1), sex: str = "male",
          relationship: str | None = "世帯主", household_id: uuid.UUID | None = None,
          address: str = "新潟県三条市旭町二丁目3番1号", postal_code: str = "9558686",
          since: date = date(2019, 5, 1), version: int = 1, status: str = "resident",
          protected: bool = False, nationality: str = "JP", number: int | None = None,
          resident_id: uuid.UUID | None = None, left_on: date | None = None) -> ResidentState:
    return ResidentState(
        resident_id=resident_id or uuid.uuid4(), platform_person_id=uuid.uuid4(),
        resident_number=f"{number or uuid.uuid4().int % 10**9:010d}", version=version,
        status=status, family_name=family, given_name=given, family_name_kana=kana[0],
        given_name_kana=kana[1], birth_date=birth, sex=sex, nationality=nationality,
        household_id=household_id, household_number="0000000019" if household_id else None,
        relationship=relationship, postal_code=postal_code, address=address,
        address_since=since, became_resident_on=since, left_on=left_on, protected=protected)


def registered(municipality: str, *states: ResidentState,
               event: type[ResidentRegisterChanged] = ResidentRegistered,
               effective: date = date(2019, 5, 1)) -> ResidentRegisterChanged:
    return event(municipality_code=municipality, effective_date=effective, reason="職権記載",
                 residents=tuple(states), subject_id=states[0].resident_id)


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text without the spaces and line breaks that extraction puts between glyph runs."""
    return "".join(text.split())


def save_png(pdf: bytes, name: str, *, scale: float = 1.5) -> list[Path]:
    """Every page as a PNG a person can look at (pypdfium2: no system dependency)."""
    import pypdfium2 as pdfium

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    document = pdfium.PdfDocument(pdf)
    paths = []
    for index in range(len(document)):
        path = ARTIFACTS / f"{name}-{index + 1}.png"
        document[index].render(scale=scale).to_pil().save(path)
        paths.append(path)
    document.close()
    return paths


def issue_number_pattern(day: date, town: str, serial: str, page: int, pages: int) -> str:
    return f"{day:%Y%m%d}{town}本庁1プリンタ001{serial}{page}/{pages}"


def codes(issuance: dict[str, Any]) -> Sequence[str]:
    return [c["verification_code"] for c in issuance["copies"]]


async def validated_offline(pdf: bytes, root: Authority | None = None) -> PdfSignatureStatus:
    """As a relying party checks the file: pyHanko, the platform root the only trust anchor,
    nothing fetched."""
    keys = PlatformKeys.shared().env("certificates")
    root = root or load_root(keys["KYODO_CERTIFICATES_ROOT_CA"])
    anchor = asn1_x509.Certificate.load(cert_der(root.certificate))
    signatures = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1, "the PDF carries no signature"
    return await async_validate_pdf_signature(
        signatures[0], ValidationContext(trust_roots=[anchor], allow_fetching=False))
