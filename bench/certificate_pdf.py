"""One certificate PDF's CPU, before and after its PAdES signature, side by side in one run.

No platform: this process draws the same one-person 住民票 as bench.certificates, and per
sample, in turn (so the machine's load falls on every variant alike):
* render: the PDF alone, as every copy cost before PDFs were signed;
* render + PAdES: signed as the service signs it (signing/pades.py: the municipality's chain
  and constant signed attributes cached, the signature's space reserved in advance);
* render + PAdES, pyHanko plain: pyHanko's SimpleSigner and PdfSigner as documented, the
  signature's size estimated by a dry run: what the caches save.
CPU is this thread's (time.thread_time), so other processes on the machine do not count;
wall time is given beside it.
"""

from __future__ import annotations

import asyncio
import io
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table

from bench._report import distribution, write_results
from bench.certificates import SANJO, _document

NAME = "certificate_pdf"
console = Console() if sys.stdout.isatty() else Console(width=160)


def _variants() -> dict[str, Callable[[int], bytes]]:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from kyodo_certificates.domain.document import Document
    from kyodo_certificates.domain.issue_number import issue_numbers
    from kyodo_certificates.domain.verification_code import new_code
    from kyodo_certificates.rendering.pdf import render
    from kyodo_certificates.signing.pades import DocumentSigner
    from kyodo_certificates.signing.pki import cert_der, key_der, load_root, municipal_chain
    from kyodo_launcher.keys import new_root_ca

    base: Document = _document()
    root = load_root(new_root_ca())
    chain = municipal_chain(root, code=SANJO, name="三条市", prefecture="新潟県")
    issued = DocumentSigner("bench", chain.signer,
                            [chain.issuing.certificate, root.certificate], location="三条市")
    plain = signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="Signature", md_algorithm="sha256",
                                     subfilter=fields.SigSeedSubFilter.PADES),
        signer=signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(cert_der(chain.signer.certificate)),
            signing_key=asn1_keys.PrivateKeyInfo.load(key_der(chain.signer.key)),
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [asn1_x509.Certificate.load(cert_der(c))
                 for c in (chain.issuing.certificate, root.certificate)])))

    def drawn(n: int) -> bytes:
        code = new_code(SANJO)
        return render(replace(
            base, verification_code=code,
            verify_url=f"http://127.0.0.1:8000/v1/certificates/verify/{code}",
            issue_numbers=issue_numbers(day=date.today(), municipality_name="三条市",
                                        terminal="本庁1", printer="プリンタ001",
                                        serial=n + 1, pages=1)))

    def plain_signed(n: int) -> bytes:
        out = plain.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(drawn(n))))
        return bytes(out.getbuffer())

    return {"render": drawn,
            "render + PAdES": lambda n: issued.sign(drawn(n)),
            "render + PAdES, pyHanko plain": plain_signed}


def _measure(samples: int) -> dict[str, Any]:
    variants = _variants()
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    wall: dict[str, list[float]] = {name: [] for name in variants}
    size: dict[str, int] = {}
    for name, draw in variants.items():  # warm: fonts parsed, chains built
        size[name] = len(draw(0))
    for n in range(samples):
        for name, draw in variants.items():
            started, started_cpu = time.perf_counter(), time.thread_time()
            draw(n)
            cpu[name].append((time.thread_time() - started_cpu) * 1000)
            wall[name].append((time.perf_counter() - started) * 1000)
    render = statistics.median(cpu["render"])
    return {name: {"cpu_ms": distribution(cpu[name]), "wall_ms": distribution(wall[name]),
                   "pdf_kb": size[name] / 1024,
                   "cpu_over_render": statistics.median(cpu[name]) / render}
            for name in variants}


def main(*, quick: bool = False) -> dict[str, Any]:
    samples = 100 if quick else 400
    # A thread with no event loop, as the worker draws 罹災証明書 (and pyHanko's plain sync
    # API runs its own loop).
    figures = asyncio.run(asyncio.to_thread(_measure, samples))
    table = Table(title=f"One 住民票 PDF (1 person), {samples} samples each, interleaved")
    for column in ("variant", "CPU p50 ms", "CPU p95 ms", "wall p50 ms", "× render", "KB"):
        table.add_column(column, justify="left" if column == "variant" else "right")
    for name, f in figures.items():
        table.add_row(name, f"{f['cpu_ms']['p50']:.2f}", f"{f['cpu_ms']['p95']:.2f}",
                      f"{f['wall_ms']['p50']:.2f}", f"{f['cpu_over_render']:.2f}",
                      f"{f['pdf_kb']:.1f}")
    console.print(table)
    path = write_results(NAME, {"config": {"samples": samples, "quick": quick},
                                "variants": figures})
    console.print(f"results: {path}")
    return figures
