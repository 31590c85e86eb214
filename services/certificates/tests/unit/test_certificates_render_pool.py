"""The render processes: PDFs drawn and PAdES-signed in child processes verify as the ones
drawn in the service's own process do, and the job's processes run at their niceness."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import replace

import pytest
from test_certificates_documents import household
from test_certificates_pades import ROOT, _signer, offline_status, verifies

from kyodo_certificates.domain.verification_code import code_in_pdf
from kyodo_certificates.rendering.pool import RenderPool, draw


@pytest.fixture
def pool() -> Iterator[RenderPool]:
    pool = RenderPool(2, nice=3)
    try:
        yield pool
    finally:
        pool.close()


def test_the_pool_draws_and_signs_each_document_in_order(pool: RenderPool) -> None:
    signer = _signer()
    documents = [replace(household(2), verification_code=f"152048-AAAA-BBBB-{n:04d}")
                 for n in range(3)]
    drawn = asyncio.run(draw(pool, documents, signer))
    assert len(drawn) == 3
    for document, copy in zip(documents, drawn, strict=True):
        assert code_in_pdf(copy.pdf) == document.verification_code
        assert verifies(offline_status(copy.pdf, ROOT))
    in_process = asyncio.run(draw(None, documents[:1], signer))
    assert verifies(offline_status(in_process[0].pdf, ROOT))


def test_the_render_processes_run_at_the_niceness_given(pool: RenderPool) -> None:
    here = os.nice(0)
    assert pool.niceness() == [here + 3, here + 3]
