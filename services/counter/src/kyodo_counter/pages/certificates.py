"""Certificates: 住民票の写し with its options, the PDF previewed in the page (through this
app: the token never reaches the browser), voiding with a reason, the verification code."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.forms import nested
from kyodo_counter.gateway import ApiError
from kyodo_counter.problems import form_errors
from kyodo_counter.web import Api, Clerk, Form, Lists, redirect, render, settings_of, town

from .people import purpose

router = APIRouter()
ITEMS = {"relationship": "続柄", "honseki": "本籍・筆頭者", "my_number": "個人番号"}


@router.get("/people/{resident_id}/certificates/residence")
async def residence_form(request: Request, session: Clerk, gateway: Api,
                         resident_id: str) -> Response:
    record = await gateway.get(session, f"{town(session)}/residents/{resident_id}",
                               purpose=purpose(session, "residence-certificate"))
    household = (await gateway.get(
        session, f"{town(session)}/residents/households/{record['household_id']}",
        purpose=purpose(session, "residence-certificate"))
        if record.get("household_id") else None)
    return render(request, "certificates/residence.html", session, record=record,
                  household=household, items=ITEMS)


@router.post("/people/{resident_id}/certificates/residence")
async def issue_residence(request: Request, session: Clerk, form: Form, lists: Lists,
                          gateway: Api, resident_id: str) -> Response:
    settings = settings_of(request)
    body: dict[str, Any] = {
        "resident_id": resident_id, "layout": form.get("layout", "household"),
        "items": [i for i in lists.get("items", []) if i in ITEMS],
        "copies": int(form.get("copies") or 1) if form.get("copies", "1").isdigit() else 0,
        "terminal": settings.terminal, "printer": settings.printer}
    if form.get("layout") == "household" and lists.get("members"):
        body["members"] = lists["members"]
    try:
        issued = await gateway.post(session, f"{town(session)}/certificates/residence", body,
                                    key=form["key"],
                                    purpose=purpose(session, "residence-certificate"))
    except ApiError as error:
        session.flash.extend(form_errors(error.status, error.problem, set()).general)
        return redirect(f"/people/{resident_id}/certificates/residence")
    session.flash.append("住民票の写しを交付しました。")
    return redirect(f"/certificates/{issued['copies'][0]['certificate_id']}")


# 課税証明書 / 非課税証明書: the tax service says which (a year's tax of 0 is 非課税); the
# fiscal year (年度) certifies the income of the calendar year before it.
def fiscal_years(today: date | None = None) -> list[int]:
    """The years a clerk is asked for: the current fiscal year (from 1 June, when the
    year's assessment is made) and the five before it."""
    today = today or date.today()
    latest = today.year if (today.month, today.day) >= (6, 1) else today.year - 1
    return list(range(latest, latest - 6, -1))


@router.get("/people/{resident_id}/certificates/tax")
async def tax_form(request: Request, session: Clerk, gateway: Api,
                   resident_id: str) -> Response:
    record = await gateway.get(session, f"{town(session)}/residents/{resident_id}",
                               purpose=purpose(session, "tax-certificate"))
    return render(request, "certificates/tax.html", session, record=record,
                  years=fiscal_years())


@router.post("/people/{resident_id}/certificates/tax")
async def issue_tax(request: Request, session: Clerk, form: Form, gateway: Api,
                    resident_id: str) -> Response:
    settings = settings_of(request)
    body: dict[str, Any] = {"resident_id": resident_id, "terminal": settings.terminal,
                            "printer": settings.printer, **nested(form, {"fiscal_year",
                                                                         "copies"})}
    try:
        issued = await gateway.post(session, f"{town(session)}/certificates/tax", body,
                                    key=form["key"], purpose=purpose(session, "tax-certificate"))
    except ApiError as error:
        record = await gateway.get(session, f"{town(session)}/residents/{resident_id}",
                                   purpose=purpose(session, "tax-certificate"))
        return render(request, "certificates/tax.html", session, status_code=error.status,
                      record=record, years=fiscal_years(), values=form,
                      errors=form_errors(error.status, error.problem, {"fiscal_year", "copies"}))
    session.flash.append("課税（非課税）証明書を交付しました。")
    return redirect(f"/certificates/{issued['copies'][0]['certificate_id']}")


@router.get("/certificates/{certificate_id}")
async def certificate(request: Request, session: Clerk, gateway: Api,
                      certificate_id: str) -> Response:
    try:
        found = await gateway.get(session, f"{town(session)}/certificates/{certificate_id}")
    except ApiError as error:
        return render(request, "error.html", session, status_code=error.status,
                      message=form_errors(error.status, error.problem, set()).general[0])
    return render(request, "certificates/certificate.html", session, certificate=found)


@router.get("/certificates/{certificate_id}/pdf")
async def pdf(session: Clerk, gateway: Api, certificate_id: str,
              download: bool = False) -> Response:
    """The PDF through the app; inline for the preview frame, attached for a download."""
    response = await gateway.send(session, "GET",
                                  f"{town(session)}/certificates/{certificate_id}/pdf",
                                  purpose=purpose(session, "residence-certificate"))
    disposition = "attachment" if download else "inline"
    return Response(response.content, media_type="application/pdf", headers={
        "Content-Disposition": f'{disposition}; filename="certificate-{certificate_id}.pdf"'})


@router.post("/certificates/{certificate_id}/void")
async def void(request: Request, session: Clerk, form: Form, gateway: Api,
               certificate_id: str) -> Response:
    try:
        await gateway.post(session, f"{town(session)}/certificates/{certificate_id}/void",
                           {"reason": form.get("reason", "").strip()}, key=form["key"])
    except ApiError as error:
        found = await gateway.get(session, f"{town(session)}/certificates/{certificate_id}")
        return render(request, "certificates/certificate.html", session,
                      status_code=error.status, certificate=found, values=form,
                      errors=form_errors(error.status, error.problem, {"reason"}))
    session.flash.append("証明書を無効にしました。")
    return redirect(f"/certificates/{certificate_id}")
