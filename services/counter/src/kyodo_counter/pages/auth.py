"""Login, logout, and the switch between home and the towns that lent the clerk rights."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.gateway import ApiError, Gateway
from kyodo_counter.problems import FormErrors
from kyodo_counter.sessions import Grant, Session
from kyodo_counter.web import (
    Api,
    Clerk,
    Form,
    current_session,
    redirect,
    render,
    set_session_cookie,
    settings_of,
    store_of,
)

router = APIRouter()
REFUSED = "ログインできませんでした。市区町村コード、ログイン名、パスワードを確認してください。"
UNAVAILABLE = "ただいまログインできません。しばらくしてからもう一度お試しください。"


async def load_identity(gateway: Gateway, session: Session) -> None:
    """Whose name the clerk acts in: home, and the grants in force (identity's /v1/auth/me)."""
    me = await gateway.get(session, "/v1/auth/me")
    session.home, session.home_name = me["home_municipality"], me["home_name"]
    session.roles = frozenset(me["roles"])
    session.grants = tuple(Grant(g["grantor_municipality"], g["grantor_name"], g["valid_until"])
                           for g in me["grants"])
    if not session.may_act_for(session.acting):
        session.acting = session.home


@router.get("/login")
async def login_page(request: Request) -> Response:
    session = current_session(request)
    if session is not None and session.signed_in:
        return redirect("/")
    if session is None:
        session = store_of(request).start()
    response = render(request, "login.html", session)
    set_session_cookie(response, settings_of(request), session)
    return response


@router.post("/login")
async def login(request: Request, form: Form, gateway: Api) -> Response:
    store = store_of(request)
    session = current_session(request)
    assert session is not None  # checked_form found it
    values = {"municipality_code": form.get("municipality_code", ""),
              "username": form.get("username", "")}
    try:
        token = await gateway.login(values["municipality_code"], values["username"],
                                    form.get("password", ""))
    except ApiError as refused:
        message = (REFUSED if refused.status in (400, 401, 403, 422) else UNAVAILABLE)
        return render(request, "login.html", session, status_code=refused.status,
                      errors=FormErrors(general=[message]), values=values)
    store.renew(session)  # a new id at login: one planted before is worth nothing
    session.access_token = token["access_token"]
    session.refresh_token = token.get("refresh_token")
    session.login = values["username"]
    session.acting = values["municipality_code"]
    await load_identity(gateway, session)
    response = redirect("/")
    set_session_cookie(response, settings_of(request), session)
    return response


@router.post("/logout")
async def logout(request: Request, session: Clerk, form: Form, gateway: Api) -> Response:
    await gateway.logout(session, uuid.uuid4().hex)
    store_of(request).end(session)
    fresh = store_of(request).start()
    fresh.flash.append("ログアウトしました。")
    response = redirect("/login")
    set_session_cookie(response, settings_of(request), fresh)
    return response


@router.post("/acting")
async def switch_acting(request: Request, session: Clerk, form: Form, gateway: Api) -> Response:
    await load_identity(gateway, session)  # a revoked grant is not offered again
    wanted = form.get("municipality", "")
    if session.may_act_for(wanted):
        session.acting = wanted
        session.flash.append(f"{session.acting_name()}の名で操作します。")
    else:
        session.flash.append("その市区町村の名で操作する権限がありません。")
    return redirect("/")


@router.get("/")
async def home(request: Request, session: Clerk) -> Response:
    return render(request, "home.html", session)
