"""One log line per request, with what operations search by and nothing a person could be
found by."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from fastapi import APIRouter

from kyodo_common.logs import JsonFormatter
from kyodo_common.web import create_service_app, no_lifespan

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"


async def test_each_request_logs_one_line_by_route_template(
    caplog: pytest.LogCaptureFixture,
) -> None:
    router = APIRouter()

    @router.get("/v1/municipalities/{code}/residents/{resident_id}")
    async def read(code: str, resident_id: str) -> dict[str, str]:
        return {"id": resident_id}

    app = create_service_app(title="t", routers=[router], lifespan=no_lifespan,
                             max_body_bytes=1000)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        with caplog.at_level(logging.INFO, logger="kyodo.requests"):
            response = await client.get(
                "/v1/municipalities/152048/residents/yamada-taro?name=山田",
                headers={"traceparent": f"00-{TRACE_ID}-b7ad6b7169203331-01"})
    assert response.status_code == 200
    records = [r for r in caplog.records if r.name == "kyodo.requests"]
    assert len(records) == 1
    line = json.loads(JsonFormatter("residents").format(records[0]))
    assert line["route"] == "/v1/municipalities/{code}/residents/{resident_id}"
    assert (line["method"], line["status"]) == ("GET", 200)
    assert line["municipality"] == "152048"
    assert line["trace_id"] == TRACE_ID
    assert line["duration_ms"] >= 0
    text = json.dumps(line, ensure_ascii=False)
    assert "yamada" not in text and "山田" not in text
