"""Town admin: support grants lent to partner staff (create, see, revoke)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.forms import nested
from kyodo_counter.web import Api, Clerk, Form, Lists, render, town

from .procedures import attempt

router = APIRouter()
SCOPES = {"residents:read": "住民記録の照会", "residents:write": "住民異動の受付",
          "certificates:issue": "証明書の交付", "certificates:manage": "証明書の管理（無効化）",
          "disaster:read": "被災情報の照会", "disaster:write": "被災調査・申請の受付",
          "tax:read": "課税情報の照会"}


@router.get("/admin/grants")
async def grants(request: Request, session: Clerk, gateway: Api) -> Response:
    page = await gateway.get(session, f"{town(session)}/identity/support-grants",
                             params={"limit": 100})
    return render(request, "admin/grants.html", session, page=page, scopes=SCOPES)


@router.post("/admin/grants")
async def grant(request: Request, session: Clerk, form: Form, lists: Lists,
                gateway: Api) -> Response:
    body: dict[str, Any] = nested(form, {"grantee.municipality_code", "grantee.login",
                                         "disaster_ref", "note"})
    body["scopes"] = [s for s in lists.get("scopes", []) if s in SCOPES]
    days = form.get("days", "").strip()
    body["valid_until"] = ((datetime.now(UTC) + timedelta(days=int(days))).isoformat()
                           if days.isdigit() else days)
    page = await gateway.get(session, f"{town(session)}/identity/support-grants",
                             params={"limit": 100})
    return await attempt(
        request, session, "admin/grants.html", form,
        lambda: gateway.post(session, f"{town(session)}/identity/support-grants", body,
                             key=form["key"]),
        lambda r: "/admin/grants", "/admin/grants", page=page, scopes=SCOPES)


@router.post("/admin/grants/{grant_id}/revoke")
async def revoke(request: Request, session: Clerk, form: Form, gateway: Api,
                 grant_id: str) -> Response:
    page = await gateway.get(session, f"{town(session)}/identity/support-grants",
                             params={"limit": 100})
    return await attempt(
        request, session, "admin/grants.html", form,
        lambda: gateway.post(session,
                             f"{town(session)}/identity/support-grants/{grant_id}/revoke",
                             key=form["key"]),
        lambda r: "/admin/grants", "/admin/grants", page=page, scopes=SCOPES)
