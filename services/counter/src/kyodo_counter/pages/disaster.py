"""Disaster support: declarations, the house ledger, survey entry and 罹災証明書 issuance, in
the name of the town the clerk acts for (a partner clerk: the stricken town's)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.forms import nested
from kyodo_counter.gateway import ApiError, Gateway, etag
from kyodo_counter.problems import form_errors
from kyodo_counter.sessions import Session
from kyodo_counter.web import Api, Clerk, Form, Lists, redirect, render, settings_of, town

from .procedures import attempt

router = APIRouter()
PURPOSE = "disaster-response"
KINDS = {"flood": "水害", "earthquake": "地震", "typhoon": "台風", "landslide": "土砂災害",
         "snow": "雪害", "fire": "火災", "other": "その他"}
APPLICATIONS_PAGE = 50
JOB_STATES = {"queued": "待機中", "running": "処理中", "finished": "完了", "failed": "失敗"}


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


async def occupants(gateway: Gateway, session: Session, house: dict[str, Any]
                    ) -> list[tuple[str, str]]:
    """The house's occupants as (id, name) for the applicant's choice; a record this clerk
    may not read is offered by its number only (the API decides who may apply)."""
    async def one(resident_id: str) -> tuple[str, str]:
        try:
            record = await gateway.get(session, f"{town(session)}/residents/{resident_id}",
                                       purpose=PURPOSE)
        except ApiError:
            return resident_id, f"居住者 {resident_id[:8]}"
        return resident_id, f"{record['family_name']} {record['given_name']}"

    return list(await asyncio.gather(*(one(str(r)) for r in house.get("occupant_ids") or [])))


@router.get("/disaster/houses/{house_id}")
async def house(request: Request, session: Clerk, gateway: Api, house_id: str) -> Response:
    found = await gateway.get(session, f"{town(session)}/disaster/houses/{house_id}",
                              purpose=PURPOSE)
    return render(request, "disaster/house.html", session, house=found,
                  occupants=await occupants(gateway, session, found), photo_rows=PHOTO_ROWS)


# 交付申請: by someone living in the house, within the disaster's application window.
@router.post("/disaster/houses/{house_id}/applications")
async def apply(request: Request, session: Clerk, form: Form, gateway: Api,
                house_id: str) -> Response:
    found = await gateway.get(session, f"{town(session)}/disaster/houses/{house_id}",
                              purpose=PURPOSE)
    body = nested(form, {"applicant_resident_id", "copies"})
    people = await occupants(gateway, session, found)
    return await attempt(
        request, session, "disaster/house.html", form,
        lambda: gateway.post(session,
                             f"{town(session)}/disaster/houses/{house_id}/applications",
                             body, key=form["key"]),
        lambda r: f"/disaster/{found['disaster_id']}/applications",
        f"/disaster/houses/{house_id}", house=found, occupants=people,
        photo_rows=PHOTO_ROWS)


@router.get("/disaster/{disaster_id}/applications")
async def applications(request: Request, session: Clerk, gateway: Api, disaster_id: str,
                       status: str | None = None, cursor: str | None = None) -> Response:
    """The disaster's applications, a page at a time (htmx fetches the next page into the
    table; without it, the link opens it)."""
    base = f"{town(session)}/disaster/disasters/{disaster_id}"
    params: dict[str, Any] = {"limit": APPLICATIONS_PAGE}
    if status in ("received", "ready"):
        params["status"] = status
    if cursor:
        params["cursor"] = cursor
    page = await gateway.get(session, f"{base}/applications", params=params, purpose=PURPOSE)
    if request.headers.get("HX-Request") and cursor:
        return render(request, "disaster/_applications_rows.html", session, page=page,
                      disaster_id=disaster_id, status=status)
    found = await gateway.get(session, base, purpose=PURPOSE)
    return render(request, "disaster/applications.html", session, disaster=found, page=page,
                  status=status)


# The job that marks the chosen applications ready (their 罹災証明書 are then issued from
# the houses' events); its progress page polls while it runs.
@router.post("/disaster/{disaster_id}/certificate-jobs")
async def start_job(request: Request, session: Clerk, form: Form, lists: Lists, gateway: Api,
                    disaster_id: str) -> Response:
    chosen = lists.get("application_ids", [])
    if not chosen:
        session.flash.append("申請を一つ以上選んでください。")
        return redirect(f"/disaster/{disaster_id}/applications")
    try:
        job = await gateway.post(session, f"{town(session)}/disaster/certificate-jobs",
                                 {"application_ids": chosen}, key=form["key"])
    except ApiError as error:
        session.flash.extend(form_errors(error.status, error.problem, set()).general)
        return redirect(f"/disaster/{disaster_id}/applications")
    return redirect(f"/disaster/jobs/{job['id']}")


@router.get("/disaster/jobs/{job_id}")
async def job(request: Request, session: Clerk, gateway: Api, job_id: str) -> Response:
    found = await gateway.get(session, f"{town(session)}/disaster/certificate-jobs/{job_id}")
    template = ("disaster/_job.html" if request.headers.get("HX-Request")
                else "disaster/job.html")
    return render(request, template, session, job=found, states=JOB_STATES)


PHOTO_ROWS = 3  # rows drawn on the survey form; the API takes up to 50
JST = "+09:00"


def photo_rows(form: dict[str, str]) -> list[dict[str, str]]:
    """The photos' metadata as the API's list: rows ``photos.<i>.<field>``, the blank ones
    left out; a time without a zone is the counter's (Japan's). The API names a fault by the
    photo's place in this list (``photos.<i>.sha256``): the drawn row of that index when
    the rows are filled from the top, as the form asks."""
    rows: list[dict[str, str]] = []
    for i in range(PHOTO_ROWS):
        row = nested(form, prefix=f"photos.{i}.")
        if not row:
            continue
        taken = row.get("taken_at", "")
        if taken and "T" in taken and not taken.endswith("Z") and "+" not in taken[10:]:
            row["taken_at"] = taken + (":00" if taken.count(":") == 1 else "") + JST
        rows.append(row)
    return rows


@router.post("/disaster/houses/{house_id}/surveys")
async def survey(request: Request, session: Clerk, form: Form, gateway: Api,
                 house_id: str) -> Response:
    """一次/二次調査: the grade follows from the damage ratio (the API's rule)."""
    found = await gateway.get(session, f"{town(session)}/disaster/houses/{house_id}",
                              purpose=PURPOSE)
    body: dict[str, Any] = nested(form, {"kind", "method", "damage_ratio", "surveyed_on",
                                         "appeal_reason", "survey_ref"})
    body["applicant_agrees"] = form.get("applicant_agrees") == "on"
    photos = photo_rows(form)
    if photos:
        body["photos"] = photos
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
