"""Disaster support: declarations, the house ledger, survey entry and 罹災証明書 issuance, in
the name of the town the clerk acts for (a partner clerk: the stricken town's)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.forms import nested
from kyodo_counter.gateway import ApiError, etag
from kyodo_counter.problems import form_errors
from kyodo_counter.web import Api, Clerk, Form, redirect, render, settings_of, town

from .procedures import attempt

router = APIRouter()
PURPOSE = "disaster-response"
KINDS = {"flood": "水害", "earthquake": "地震", "typhoon": "台風", "landslide": "土砂災害",
         "snow": "雪害", "fire": "火災", "other": "その他"}


@router.get("/disaster")
async def disasters(request: Request, session: Clerk, gateway: Api) -> Response:
    page = await gateway.get(session, f"{town(session)}/disaster/disasters",
                             params={"limit": 50}, purpose=PURPOSE)
    return render(request, "disaster/list.html", session, page=page, kinds=KINDS)


@router.post("/disaster")
async def declare(request: Request, session: Clerk, form: Form, gateway: Api) -> Response:
    body: dict[str, Any] = nested(form, {"name", "kind", "occurred_on", "application_opens_on",
                                         "application_closes_on"})
    body["affected_area"] = [a.strip() for a in form.get("affected_area", "").split("、")
                             if a.strip()]
    page: dict[str, Any] = {"items": [], "next": None}
    return await attempt(
        request, session, "disaster/list.html", form,
        lambda: gateway.post(session, f"{town(session)}/disaster/disasters", body,
                             key=form["key"]),
        lambda r: f"/disaster/{r['id']}", "/disaster", page=page, kinds=KINDS)


@router.get("/disaster/{disaster_id}")
async def disaster(request: Request, session: Clerk, gateway: Api,
                   disaster_id: str) -> Response:
    base = f"{town(session)}/disaster/disasters/{disaster_id}"
    found = await gateway.get(session, base, purpose=PURPOSE)
    houses = await gateway.get(session, f"{base}/houses", params={"limit": 100},
                               purpose=PURPOSE)
    return render(request, "disaster/disaster.html", session, disaster=found, houses=houses)


@router.post("/disaster/{disaster_id}/houses")
async def add_house(request: Request, session: Clerk, form: Form, gateway: Api,
                    disaster_id: str) -> Response:
    base = f"{town(session)}/disaster/disasters/{disaster_id}"
    found = await gateway.get(session, base, purpose=PURPOSE)
    houses = await gateway.get(session, f"{base}/houses", params={"limit": 100},
                               purpose=PURPOSE)
    return await attempt(
        request, session, "disaster/disaster.html", form,
        lambda: gateway.post(session, f"{base}/houses",
                             nested(form, {"postal_code", "address"}), key=form["key"]),
        lambda r: f"/disaster/houses/{r['id']}", f"/disaster/{disaster_id}",
        disaster=found, houses=houses)


@router.get("/disaster/houses/{house_id}")
async def house(request: Request, session: Clerk, gateway: Api, house_id: str) -> Response:
    found = await gateway.get(session, f"{town(session)}/disaster/houses/{house_id}",
                              purpose=PURPOSE)
    return render(request, "disaster/house.html", session, house=found)


@router.post("/disaster/houses/{house_id}/surveys")
async def survey(request: Request, session: Clerk, form: Form, gateway: Api,
                 house_id: str) -> Response:
    """一次/二次調査: the grade follows from the damage ratio (the API's rule)."""
    found = await gateway.get(session, f"{town(session)}/disaster/houses/{house_id}",
                              purpose=PURPOSE)
    body = nested(form, {"kind", "damage_ratio", "surveyed_on", "appeal_reason",
                         "survey_ref"})
    return await attempt(
        request, session, "disaster/house.html", form,
        lambda: gateway.post(session, f"{town(session)}/disaster/houses/{house_id}/surveys",
                             body, key=form["key"], if_match=etag(form.get("version", ""))),
        lambda r: f"/disaster/houses/{house_id}", f"/disaster/houses/{house_id}", house=found)


@router.post("/disaster/houses/{house_id}/certificate")
async def damage_certificate(request: Request, session: Clerk, form: Form, gateway: Api,
                             house_id: str) -> Response:
    """罹災証明書 in the acting town's name, from the house's latest survey."""
    settings = settings_of(request)
    try:
        issued = await gateway.post(
            session, f"{town(session)}/certificates/damage",
            {"assessment_id": house_id, "terminal": settings.terminal,
             "printer": settings.printer}, key=form["key"], purpose=PURPOSE)
    except ApiError as error:
        session.flash.extend(form_errors(error.status, error.problem, set()).general)
        return redirect(f"/disaster/houses/{house_id}")
    session.flash.append("罹災証明書を交付しました。")
    return redirect(f"/certificates/{issued['copies'][0]['certificate_id']}")
