"""The render processes: PDFs drawn and PAdES-signed in child processes verify as the ones
drawn in the service's own process do, and the job's processes run at their niceness."""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from test_certificates_documents import household
from test_certificates_pades import ROOT, _signer, offline_status, verifies

from kyodo_certificates.domain.verification_code import code_in_pdf
from kyodo_certificates.rendering.pool import RenderPool, draw
from kyodo_common.runtime import GC_THRESHOLDS


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


def test_the_render_processes_keep_what_the_fork_server_loaded_out_of_the_collector(
        pool: RenderPool) -> None:
    """The service processes' thresholds (kyodo_common.runtime), and the renderer, pyHanko and
    the font frozen in the fork server before it forked them."""
    def each(function: object) -> list[object]:
        return [f.result() for f in [pool._executor.submit(function)  # type: ignore[arg-type]
                                     for _ in range(pool.processes)]]

    assert each(gc.get_threshold) == [GC_THRESHOLDS] * pool.processes
    assert min(each(gc.get_freeze_count)) > 10_000  # type: ignore[type-var]


_SERVICE = """
import time
from kyodo_certificates.rendering.pool import RenderPool
pool = RenderPool(2)
pool.warm()
print(*pool.pids(), flush=True)
time.sleep(300)
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_the_render_processes_end_when_their_service_process_is_killed() -> None:
    service = subprocess.Popen([sys.executable, "-c", _SERVICE], stdout=subprocess.PIPE,
                               text=True)
    try:
        assert service.stdout is not None
        pids = [int(p) for p in service.stdout.readline().split()]
    finally:
        service.kill()
        service.wait()
    assert len(pids) == 2
    deadline = time.monotonic() + 60
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [p for p in pids if _running(p)]
    for pid in left:  # stopped by their PID whatever the outcome
        os.kill(pid, 9)
    assert left == []
