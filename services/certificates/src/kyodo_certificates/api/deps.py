"""Dependencies of the certificates routes (async, so no thread hop per request)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from kyodo_certificates.adapters.store import SOURCE, CertificatesUnitOfWork
from kyodo_certificates.service_layer.issuing import Issuing
from kyodo_certificates.service_layer.keyring import Keyring
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.assertion import Acting
from kyodo_common.web import DatabaseDep, acting_for
from kyodo_common.write_pipeline import WritePipeline


async def _issuing(request: Request) -> Issuing:
    issuing: Issuing = request.app.state.issuing
    return issuing


async def _keyring(request: Request) -> Keyring:
    keyring: Keyring = request.app.state.keyring
    return keyring


async def _settings(request: Request) -> CertificatesSettings:
    settings: CertificatesSettings = request.app.state.settings
    return settings


async def _pipeline(db: DatabaseDep) -> WritePipeline:
    return WritePipeline(db, source=SOURCE, unit_of_work=lambda code: CertificatesUnitOfWork(
        db, municipality_code=code))


Db = DatabaseDep
Pipeline = Annotated[WritePipeline, Depends(_pipeline)]
IssuingDep = Annotated[Issuing, Depends(_issuing)]
KeyringDep = Annotated[Keyring, Depends(_keyring)]
Settings = Annotated[CertificatesSettings, Depends(_settings)]
Issuer = Annotated[Acting, Depends(acting_for("certificates:issue"))]
Accept = Annotated[str | None, Header()]
