"""Drawing and PAdES-signing copies in child processes, so one service uses every core.

A copy's CPU work (render ~7 ms, PAdES ~3 ms on this machine) is pure Python under the GIL:
on the event loop it caps a process at one core, and in a thread it still does. A pool of
render processes (forked from a fork server that imported the renderer and parsed the font
once, so a process starts in milliseconds and imports nothing of the service's own; each
keeps its municipalities' PDF signers) takes the documents, already numbered and with their
signed QR statement, and gives back the signed PDFs; everything else (the Ed25519
signatures of the record, sealing, the database) stays in the service's process.

``nice`` lowers the processes' CPU priority: the 罹災証明書 job's pool runs at nice 10, so
the kernel gives the counters' processes (nice 0) the CPU whenever they want it and the job
only what is left (a share, not a fixed cap: an idle machine is the job's).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from kyodo_certificates.domain.document import Document
from kyodo_certificates.rendering.fonts import register_font
from kyodo_certificates.rendering.pdf import render
from kyodo_certificates.signing.pades import DocumentSigner, SignerSpec

_signers: dict[SignerSpec, DocumentSigner] = {}  # per render process


@dataclass(frozen=True)
class Drawn:
    """A signed PDF and where its CPU went (for Server-Timing)."""

    pdf: bytes
    render_ms: float
    pades_ms: float


def draw_one(document: Document, signer: DocumentSigner) -> Drawn:
    started = time.perf_counter()
    pdf = render(document)
    rendered = time.perf_counter()
    signed = signer.sign(pdf)
    return Drawn(signed, (rendered - started) * 1000, (time.perf_counter() - rendered) * 1000)


def _exit_with_the_service() -> None:
    """A render process ends when the service process that asked for it does, even killed:
    the executor's queues would keep it waiting for work forever."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch(sentinel: int) -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(0)

    threading.Thread(target=watch, args=(parent.sentinel,), daemon=True,
                     name="exit-with-the-service").start()


def _start(nice: int) -> None:
    _exit_with_the_service()
    if nice:
        os.nice(nice)
    register_font()  # parsed in the fork server already: a no-op then


def _context() -> multiprocessing.context.BaseContext:
    """The fork server (not spawn: a spawned child imports the parent's main module, the
    whole worker, taking tens of seconds on a crowded machine; not fork: the parent has
    threads). Started on the first pool's first process; the preload makes its children
    ready to render."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kyodo_certificates.rendering.preload"])
    return context


def _draw_batch(documents: Sequence[Document], spec: SignerSpec) -> list[Drawn]:
    signer = _signers.get(spec)
    if signer is None:
        if len(_signers) > 64:  # renewed keys: forget the old ones
            _signers.clear()
        signer = _signers[spec] = spec.signer()
    return [draw_one(d, signer) for d in documents]


class RenderPool:
    """``processes`` render processes; ``draw`` spreads a list of documents over them."""

    def __init__(self, processes: int, *, nice: int = 0) -> None:
        self.processes = processes
        self._executor = ProcessPoolExecutor(
            processes, mp_context=_context(),
            initializer=_start, initargs=(nice,))

    def warm(self) -> None:
        """Starts every process now rather than on the first request (the fork server's
        import of the renderer and the font take seconds)."""
        self.niceness()

    async def draw(self, documents: Sequence[Document], signer: DocumentSigner) -> list[Drawn]:
        if not documents:
            return []
        loop = asyncio.get_running_loop()
        parts = min(self.processes, len(documents))
        size = -(-len(documents) // parts)
        batches = [list(documents[i:i + size]) for i in range(0, len(documents), size)]
        done = await asyncio.gather(*(
            loop.run_in_executor(self._executor, _draw_batch, batch, signer.spec)
            for batch in batches))
        return [drawn for batch in done for drawn in batch]

    def niceness(self) -> list[int]:
        """Each process's niceness (starting them all)."""
        return [f.result() for f in [self._executor.submit(os.nice, 0)
                                     for _ in range(self.processes)]]

    def pids(self) -> list[int]:
        """The render processes started so far."""
        return list(self._executor._processes or {})

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


async def draw(pool: RenderPool | None, documents: Sequence[Document],
               signer: DocumentSigner) -> list[Drawn]:
    """In the pool, or (none configured: tests, a one-core machine) in a thread, so the
    event loop (consumers' heartbeats, other requests) keeps turning meanwhile."""
    if pool is not None:
        return await pool.draw(documents, signer)
    return await asyncio.to_thread(lambda: [draw_one(d, signer) for d in documents])
