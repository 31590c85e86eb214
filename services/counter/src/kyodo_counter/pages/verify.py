"""The public verification page: anyone checks a certificate's code (no login)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.web import Api, current_session, render

router = APIRouter()
RESULTS = {"genuine": "有効な証明書です。", "voided": "この証明書は無効にされています。",
           "unknown": "この照合番号の証明書はありません。"}


@router.get("/verify")
async def verify(request: Request, gateway: Api, code: str | None = None) -> Response:
    verdict = None
    if code:
        cleaned = re.sub(r"[^0-9A-Za-z-]", "", code)[:64]
        response = await gateway.http.get(f"/v1/certificates/verify/{cleaned}")
        verdict = response.json() if response.status_code == 200 else {"result": "unknown"}
    return render(request, "verify.html", current_session(request), code=code or "",
                  verdict=verdict, results=RESULTS)
