"""Rendering a 住民票 alone, in this process: what the certificate font costs per PDF.

No platform is started. Per document (one person; a household of six on two sheets):
* the first render in a fresh process (parsing the font once, then the PDF), in a subprocess;
* the p50/p95 of `samples` renders after that (the font parsed and cached), wall time and CPU
  time (the CPU time is the steadier figure on a shared machine), and the PDF's size.
The same names are used whatever the font, so two runs on two commits compare side by side.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench._report import distribution, write_results

NAME = "certificate_render"
SANJO = "152048"


_BENCH_KEY = Ed25519PrivateKey.from_private_bytes(bytes(32))


def _documents() -> dict[str, Any]:
    from kyodo_certificates.domain.document import offline_statement
    from kyodo_certificates.domain.kinds import Item, Layout
    from kyodo_certificates.domain.people import Municipality, Registered
    from kyodo_certificates.domain.residence import ResidenceRequest, residence_document

    def person(n: int, relationship: str) -> Registered:
        return Registered(
            resident_id=uuid.UUID(int=n), resident_number=f"{n:010d}", status="resident",
            family_name="高田", given_name=f"{'一二三四五六'[n - 1]}郎",
            family_name_kana="タカダ", given_name_kana="ロウ", latin_name=None,
            birth_date=date(1980, 4, n), birth_date_partial=None, sex="male",
            nationality="JP", household_id=None, relationship=relationship,
            postal_code="9558686", address="新潟県三条市旭町二丁目3番1号",
            address_since=date(2019, 5, 1), became_resident_on=date(2019, 5, 1), left_on=None,
            protected=False)

    town = Municipality(code=SANJO, name="三条市", prefecture="新潟県", mayor_name=None,
                        certificate_fee_yen=300)
    from kyodo_common.certificate_qr import qr_text

    documents = {}
    for label, count in (("one person", 1), ("household of six", 6)):
        persons = [person(n + 1, "世帯主" if n == 0 else "子") for n in range(count)]
        document = residence_document(ResidenceRequest(
            layout=Layout.INDIVIDUAL if count == 1 else Layout.HOUSEHOLD, persons=persons,
            head=persons[0], items=frozenset({Item.RELATIONSHIP}), whole_household=count > 1),
            municipality=town, issued_on=date(2024, 5, 2))
        code = f"{SANJO}-AAAA-BBBB-CCCC"
        document = replace(document, verification_code=code,
                           verify_url=f"http://127.0.0.1:8000/v1/certificates/verify/{code}")
        # The QR's signed offline statement, as every issued copy carries (ADR 0005 addendum).
        documents[label] = replace(document, qr=qr_text(
            document.verify_url, offline_statement(document), "bench", _BENCH_KEY.sign))
    return documents


_COLD = """
import time, sys
started, cpu = time.perf_counter(), time.process_time()
from bench.certificate_render import _documents
from kyodo_certificates.rendering.pdf import render
imported, imported_cpu = time.perf_counter(), time.process_time()
render(_documents()[sys.argv[1]])
print(time.perf_counter() - imported, time.process_time() - imported_cpu)
"""


def _cold(label: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of the first render in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _COLD, label], capture_output=True, text=True,
                         check=True, cwd=os.path.dirname(os.path.dirname(__file__))).stdout
    wall, cpu = out.split()
    return float(wall) * 1000, float(cpu) * 1000


def main(*, quick: bool = False) -> dict[str, Any]:
    from kyodo_certificates.rendering.fonts import FONT
    from kyodo_certificates.rendering.pdf import render
    from kyodo_certificates.rendering.qr import forget

    print(f"font: {FONT}")
    samples = 30 if quick else 200
    figures: dict[str, Any] = {}
    for label, document in _documents().items():
        cold_ms, cold_cpu_ms = _cold(label)
        render(document)
        times, cpu_times = [], []
        for _ in range(samples):
            forget()  # every issued copy has its own code: its QR is made anew
            started, cpu = time.perf_counter(), time.process_time()
            pdf = render(document)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
        figures[label] = {"first_render_in_a_fresh_process_ms": cold_ms,
                          "first_render_in_a_fresh_process_cpu_ms": cold_cpu_ms,
                          "render_ms": distribution(times),
                          "render_cpu_ms": distribution(cpu_times),
                          "pdf_bytes": len(pdf)}
        d, c = figures[label]["render_ms"], figures[label]["render_cpu_ms"]
        print(f"{label}: first render {cold_ms:.0f} ms ({cold_cpu_ms:.0f} ms CPU, font parsed), "
              f"then p50 {d['p50']:.1f} ms ({c['p50']:.1f} ms CPU), p95 {d['p95']:.1f} ms, "
              f"{len(pdf)} bytes")
    config = {"samples": samples, "quick": quick, "font": FONT}
    path = write_results(NAME, {"config": config, **figures})
    print(f"results: {path}")
    return figures


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
