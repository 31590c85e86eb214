"""Town admin: staff and their roles; support grants lent to partner staff (create, see,
revoke)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.forms import nested
from kyodo_counter.gateway import ApiError, Gateway, etag
from kyodo_counter.problems import form_errors
from kyodo_counter.sessions import Session
from kyodo_counter.web import Api, Clerk, Form, Lists, redirect, render, town

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


ROLES = {"counter_clerk": "窓口担当", "resident_registrar": "住民記録担当",
         "tax_officer": "税務担当", "certificate_issuer": "証明書交付担当",
         "disaster_support": "災害対応", "auditor": "監査", "tenant_admin": "管理者",
         "automation_author": "定型業務の作成"}


async def _staff_page(request: Request, session: Session, gateway: Gateway, *,
                      status_code: int = 200, **context: Any) -> Response:
    page = await gateway.get(session, f"{town(session)}/identity/staff", params={"limit": 200})
    return render(request, "admin/staff.html", session, status_code=status_code, page=page,
                  roles=ROLES, **context)


@router.get("/admin/staff")
async def staff(request: Request, session: Clerk, gateway: Api) -> Response:
    return await _staff_page(request, session, gateway)


@router.post("/admin/staff")
async def add_staff(request: Request, session: Clerk, form: Form, lists: Lists,
                    gateway: Api) -> Response:
    body = {"login": form.get("login", "").strip(),
            "initial_password": form.get("initial_password", ""),
            "roles": [r for r in lists.get("roles", []) if r in ROLES]}
    try:
        await gateway.post(session, f"{town(session)}/identity/staff", body, key=form["key"])
    except ApiError as error:
        values = {k: v for k, v in form.items() if k != "initial_password"}
        return await _staff_page(request, session, gateway, status_code=error.status,
                                 values=values,
                                 errors=form_errors(error.status, error.problem, set(form)))
    session.flash.append("職員を登録しました。")
    return redirect("/admin/staff")


@router.post("/admin/staff/{staff_id}/roles")
async def set_roles(request: Request, session: Clerk, form: Form, lists: Lists,
                    gateway: Api, staff_id: str) -> Response:
    """The roles as ticked, against the version the list showed (If-Match)."""
    try:
        await gateway.send(session, "PUT", f"{town(session)}/identity/staff/{staff_id}/roles",
                           json={"roles": [r for r in lists.get("roles", []) if r in ROLES]},
                           if_match=etag(form.get("version", "")))
    except ApiError as error:
        session.flash.extend(form_errors(error.status, error.problem, set()).general)
        return redirect("/admin/staff")
    session.flash.append("役割を変更しました。")
    return redirect("/admin/staff")
