"""A counter's first minutes through the Python client generated from the published contract
(clients/python): log in, register a resident, read them back, issue a 住民票の写し and
download it. Code generated from the contract must work against the platform as it runs."""

from __future__ import annotations

import time
import uuid
from datetime import date
from http import HTTPStatus

import pytest
from kyodo_client import AuthenticatedClient, Client
from kyodo_client.api.auth import token
from kyodo_client.api.certificates import issue_residence_certificate, pdf
from kyodo_client.api.register import read_resident
from kyodo_client.api.residents import register
from kyodo_client.models import (
    BodyToken,
    Issuance,
    Problem,
    ResidenceCreate,
    ResidentCreate,
    ResidentPublic,
    Sex,
)

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
NAGAOKA = "152021"


def _logged_in(platform: RunningPlatform) -> AuthenticatedClient:
    anonymous = Client(base_url=platform.gateway, raise_on_unexpected_status=True)
    issued = token.sync(client=anonymous, body=BodyToken(
        grant_type="password", username=f"{NAGAOKA}/clerk", password="kyodo-clerk"))
    assert issued is not None and not isinstance(issued, Problem), issued
    return AuthenticatedClient(base_url=platform.gateway, token=issued.access_token,
                               raise_on_unexpected_status=True, timeout=None)


def test_the_generated_client_serves_a_counter(platform: RunningPlatform) -> None:
    clerk = _logged_in(platform)
    created = register.sync(NAGAOKA, client=clerk, idempotency_key=uuid.uuid4().hex,
                            body=ResidentCreate(
                                family_name="長岡", given_name="花子",
                                family_name_kana="ナガオカ", given_name_kana="ハナコ",
                                birth_date=date(1988, 4, 1), sex=Sex.FEMALE,
                                postal_code="940-8501", address="新潟県長岡市大手通一丁目4番地10",
                                confirm_not_duplicate=True))
    assert isinstance(created, ResidentPublic), created

    read = read_resident.sync(NAGAOKA, created.id, client=clerk,
                              x_kyodo_purpose="identity-check")
    assert isinstance(read, ResidentPublic) and read.family_name_kana == "ナガオカ"

    # Certificates learns of the resident from the event; the client retries the issuance.
    deadline = time.monotonic() + 30
    while True:
        issued = issue_residence_certificate.sync_detailed(
            NAGAOKA, client=clerk, idempotency_key=uuid.uuid4().hex,
            x_kyodo_purpose="residence-certificate",
            body=ResidenceCreate(terminal="window-1", printer="printer-1",
                                 resident_id=created.id))
        if issued.status_code == HTTPStatus.CREATED or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert isinstance(issued.parsed, Issuance), issued.content
    (copy,) = issued.parsed.copies
    document = pdf.sync_detailed(NAGAOKA, copy.certificate_id, client=clerk,
                                 x_kyodo_purpose="residence-certificate")
    assert document.status_code == HTTPStatus.OK
    assert document.content.startswith(b"%PDF") and b"/ByteRange" in document.content

    # A refusal is a problem the client parses, with the trace id operations search by.
    missing = read_resident.sync_detailed(NAGAOKA, uuid.uuid4(), client=clerk,
                                          x_kyodo_purpose="identity-check")
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert isinstance(missing.parsed, Problem)
    assert missing.parsed.trace_id == missing.headers["x-kyodo-trace-id"]
