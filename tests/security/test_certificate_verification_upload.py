"""The public check of a certificate file: as the body or as a form's `file` field, a genuine
file is genuine; an upload that is not a PDF file is refused as such, never called invalid."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from integration.certificates_kit import Counter, certificates_app, feed, registered, state
from integration.conftest import SANJO, certificates_db

from kyodo_certificates.main import create_app
from kyodo_testing import Infrastructure

__all__ = ["certificates_db"]  # the fixture, imported for the tests below
VERIFY = "/v1/certificates/verify"
PROBLEM = "application/problem+json"
integration = pytest.mark.integration


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


@pytest.fixture(scope="module")
async def pdf(client: httpx.AsyncClient, certificates_db: Any) -> bytes:
    person = state(given="照合", kana=("サンジョウ", "ショウゴウ"))
    await feed(certificates_db, SANJO, registered(SANJO, person))
    _, issued = await Counter(client, SANJO).issued_pdf(
        "residence", {"resident_id": str(person.resident_id)})
    return issued


def _refused(response: httpx.Response, status: int, field: str | None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "result" not in response.json()
    if field is not None:
        assert [p["name"] for p in response.json()["invalid_params"]] == [field]


@integration
async def test_a_genuine_file_uploaded_with_a_form_is_genuine(
    client: httpx.AsyncClient, pdf: bytes,
) -> None:
    form = await client.post(VERIFY, files={"file": ("住民票.pdf", pdf, "application/pdf")})
    assert form.status_code == 200, form.text
    assert form.json()["result"] == "genuine"
    body = await client.post(VERIFY, content=pdf, headers={"Content-Type": "application/pdf"})
    assert body.json()["result"] == "genuine"
    # A form field besides the file changes nothing (a browser may send a submit button).
    with_field = await client.post(VERIFY, data={"submit": "照合"},
                                   files={"file": ("c.pdf", pdf, "application/octet-stream")})
    assert with_field.json()["result"] == "genuine"


@integration
async def test_a_changed_file_in_a_form_is_still_invalid(
    client: httpx.AsyncClient, pdf: bytes,
) -> None:
    middle = len(pdf) // 2
    flipped = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1:]
    form = await client.post(VERIFY, files={"file": ("c.pdf", flipped, "application/pdf")})
    assert form.json()["result"] == "invalid"


@integration
async def test_uploads_that_are_not_a_pdf_file_are_refused_as_such(
    client: httpx.AsyncClient, pdf: bytes,
) -> None:
    _refused(await client.post(VERIFY, data={"other": "x"},
                               files={"pdf": ("c.pdf", pdf, "application/pdf")}), 422, "file")
    _refused(await client.post(VERIFY, files=[("file", ("a.pdf", pdf, "application/pdf")),
                                              ("file", ("b.pdf", pdf, "application/pdf"))]),
             422, "file")
    _refused(await client.post(VERIFY, files={"file": ("c.txt", b"hello", "text/plain")}),
             422, "file")
    _refused(await client.post(VERIFY, files={"file": ("c.pdf", b"", "application/pdf")}),
             422, "file")
    _refused(await client.post(VERIFY, content=b"<html>", headers={
        "Content-Type": "application/pdf"}), 422, "body")
    _refused(await client.post(VERIFY, content=pdf, headers={"Content-Type": "text/plain"}),
             415, None)
    _refused(await client.post(VERIFY, content=pdf), 415, None)  # no Content-Type at all
    broken = b"--x\r\nContent-Disposition: form-data\r\n"
    _refused(await client.post(VERIFY, content=broken, headers={
        "Content-Type": "multipart/form-data; boundary=x"}), 422, "file")


def test_the_contract_documents_the_form_and_the_body() -> None:
    operation = create_app().openapi()["paths"][VERIFY]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/pdf", "multipart/form-data"}
    form = content["multipart/form-data"]["schema"]
    assert form["required"] == ["file"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"}
    assert {"415", "422"} <= set(operation["responses"])
