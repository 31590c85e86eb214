"""Find a person (by POST: names and numbers stay out of URLs) and the person's page."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.gateway import ApiError
from kyodo_counter.problems import form_errors
from kyodo_counter.sessions import Session
from kyodo_counter.web import Api, Clerk, Form, render, town

router = APIRouter()
# The residents search's criteria: 氏名 in kanji as registered (`name`) or in katakana.
SEARCH_FIELDS = {"name", "kana_prefix", "birth_date", "address_contains", "resident_number"}
PAGE_SIZE = 20


def purpose(session: Session, at_home: str) -> str:
    """The purpose code of a read: a partner clerk's work for another town is 'support'."""
    return at_home if session.acting == session.home else "support"


def search_body(form: dict[str, str]) -> dict[str, Any]:
    """The filled criteria only; a cursor carries on the same search."""
    body: dict[str, Any] = {k: form[k].strip() for k in SEARCH_FIELDS if form.get(k, "").strip()}
    body["include_former"] = form.get("include_former") == "on"
    body["limit"] = PAGE_SIZE
    if form.get("cursor"):
        body["cursor"] = form["cursor"]
    return body


@router.get("/people")
async def search_page(request: Request, session: Clerk) -> Response:
    return render(request, "people/search.html", session)


@router.post("/people/search")
async def search(request: Request, session: Clerk, form: Form, gateway: Api) -> Response:
    body = search_body(form)
    values = {k: v for k, v in form.items() if k in SEARCH_FIELDS | {"include_former"}}
    if set(body) <= {"include_former", "limit", "cursor"}:
        return render(request, "people/search.html", session, status_code=422, values=values,
                      errors=form_errors(422, {"detail": "検索条件を一つ以上入力してください。"},
                                         set()))
    try:
        page = await gateway.post(session, f"{town(session)}/residents/search", body,
                                  purpose=purpose(session, "identity-check"))
    except ApiError as error:
        return render(request, "people/search.html", session, status_code=error.status,
                      values=values, errors=form_errors(error.status, error.problem,
                                                        SEARCH_FIELDS))
    if request.headers.get("HX-Request") and form.get("cursor"):  # the next page's rows
        return render(request, "people/_results_rows.html", session, values=values,
                      page=page, page_size=PAGE_SIZE)
    return render(request, "people/search.html", session, values=values, page=page,
                  page_size=PAGE_SIZE)


@router.get("/people/{resident_id}")
async def person(request: Request, session: Clerk, gateway: Api, resident_id: str,
                 as_of: date | None = None) -> Response:
    reason = purpose(session, "identity-check")
    params = {"as_of": as_of.isoformat()} if as_of else None
    base = town(session)
    try:
        record = await gateway.get(session, f"{base}/residents/{resident_id}", params=params,
                                   purpose=reason)
    except ApiError as error:
        return render(request, "error.html", session, status_code=error.status,
                      message=form_errors(error.status, error.problem, set()).general[0])

    household = None
    if record.get("household_id"):
        household = await gateway.get(session, f"{base}/residents/households/"
                                      f"{record['household_id']}", params=params,
                                      purpose=reason)
    # The access log is read by its own request (htmx, once the page is shown; a link
    # without JavaScript): the page does not wait for the slowest read of the three.
    return render(request, "people/person.html", session, record=record, household=household,
                  as_of=as_of)


@router.get("/people/{resident_id}/access-log")
async def access_log(request: Request, session: Clerk, gateway: Api,
                     resident_id: str) -> Response:
    try:
        log = await gateway.get(session, f"{town(session)}/residents/{resident_id}/access-log",
                                params={"limit": 20}, purpose="audit")
    except ApiError:
        log = None  # not every clerk may read who looked (a partner clerk may not)
    template = ("people/_access_log.html" if request.headers.get("HX-Request")
                else "people/access_log.html")
    return render(request, template, session, log=log, resident_id=resident_id)
