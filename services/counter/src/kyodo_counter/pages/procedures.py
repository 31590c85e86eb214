"""Register procedures (住民異動): one form each, the law's dates and fields, the API's
messages next to the fields; a record changed meanwhile is reloaded, never overwritten."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.forms import checked, nested
from kyodo_counter.gateway import ApiError, Gateway, etag
from kyodo_counter.problems import form_errors
from kyodo_counter.sessions import Session
from kyodo_counter.web import Api, Clerk, Form, Lists, redirect, render, town

from .people import SEARCH_FIELDS, search_body

router = APIRouter()
PERSON = ["family_name", "given_name", "family_name_kana", "given_name_kana", "sex",
          "birth_date"]


async def _household(gateway: Gateway, session: Session, household_id: str) -> Any:
    return await gateway.get(session, f"{town(session)}/residents/households/{household_id}",
                             purpose="register-procedure")


async def attempt(request: Request, session: Session, template: str, form: dict[str, str],
                  call: Callable[[], Awaitable[Any]], done: Callable[[Any], str],
                  reload_url: str, **context: Any) -> Response:
    """Call the API; on success to the result's page; a stale version (412) to the form
    again, freshly read, with the reason; other problems next to their fields."""
    try:
        result = await call()
    except ApiError as error:
        if error.status == 412:
            session.flash.extend(form_errors(412, error.problem, set()).general)
            return redirect(reload_url)
        return render(request, template, session, status_code=error.status, values=form,
                      errors=form_errors(error.status, error.problem, set(form)), **context)
    session.flash.append("受け付けました。")
    return redirect(done(result))


def _first_resident(result: Any) -> str:
    return f"/people/{result['residents'][0]['resident_id']}"


# 住民登録 (the first entry of a person, e.g. a household the register did not hold yet)
REGISTER = ["family_name", "given_name", "family_name_kana", "given_name_kana", "birth_date",
            "sex", "postal_code", "address"]


@router.get("/procedures/register")
async def register_form(request: Request, session: Clerk) -> Response:
    return render(request, "procedures/register.html", session)


@router.post("/procedures/register")
async def register(request: Request, session: Clerk, form: Form, gateway: Api) -> Response:
    body: dict[str, Any] = nested(form, set(REGISTER))
    body["confirm_not_duplicate"] = checked(form, "confirm_not_duplicate")
    return await attempt(
        request, session, "procedures/register.html", form,
        lambda: gateway.post(session, f"{town(session)}/residents", body, key=form["key"]),
        lambda r: f"/people/{r['id']}", "/procedures/register")


# 転入 (from outside the platform, or abroad): a new household, or joining one
@router.get("/procedures/move-in")
async def move_in_form(request: Request, session: Clerk, gateway: Api,
                       household: str | None = None) -> Response:
    joining = await _household(gateway, session, household) if household else None
    return render(request, "procedures/move_in.html", session, joining=joining)


@router.post("/procedures/move-in")
async def move_in(request: Request, session: Clerk, form: Form, gateway: Api) -> Response:
    return await _new_person(request, session, form, gateway, "move_in", "move-ins",
                             {"kind", "effective_date", "previous_address"})


async def _new_person(request: Request, session: Session, form: dict[str, str],
                      gateway: Gateway, page: str, collection: str,
                      fields: set[str]) -> Response:
    """A person entered into a household (転入 keyed in, 職権記載): the same form parts, the
    same possible-duplicate confirmation, the household joined shown again on a refusal."""
    body: dict[str, Any] = nested(form, fields)
    body["person"] = nested(form, prefix="person.")
    body["household"] = nested(form, prefix="household.")
    body["confirm_not_duplicate"] = checked(form, "confirm_not_duplicate")
    household = form.get("household.join.household_id", "")
    joining = await _household(gateway, session, household) if household else None
    return await attempt(
        request, session, f"procedures/{page}.html", form,
        lambda: gateway.post(session, f"{town(session)}/residents/{collection}", body,
                             key=form["key"]),
        _first_resident, f"/procedures/{page.replace('_', '-')}", joining=joining)


# 転入 from another platform town: pick its transfer notices (a whole household at once)
@router.get("/procedures/transfers")
async def transfers(request: Request, session: Clerk, gateway: Api,
                    cursor: str | None = None) -> Response:
    params: dict[str, Any] = {"limit": 50, **({"cursor": cursor} if cursor else {})}
    page = await gateway.get(session, f"{town(session)}/residents/transfers/incoming",
                             params=params, purpose="transfer-notice")
    return render(request, "procedures/transfers.html", session, page=page)


@router.post("/procedures/transfers")
async def transfer_move_in(request: Request, session: Clerk, form: Form, lists: Lists,
                           gateway: Api) -> Response:
    body: dict[str, Any] = nested(form, {"effective_date", "head_transfer_id"})
    body["transfer_ids"] = lists.get("transfer_ids", [])
    body["with_my_number_card"] = checked(form, "with_my_number_card")
    new_household = nested(form, prefix="new_household.")
    if new_household:
        body["new_household"] = new_household
    if body.get("head_transfer_id"):  # a new head: each member's 続柄 to them, as typed
        chosen = set(body["transfer_ids"]) - {body["head_transfer_id"]}
        body["relationships"] = {k: v for k, v in nested(form, prefix="relationships.").items()
                                 if k in chosen}
    page = await gateway.get(session, f"{town(session)}/residents/transfers/incoming",
                             params={"limit": 50}, purpose="transfer-notice")
    return await attempt(
        request, session, "procedures/transfers.html", form,
        lambda: gateway.post(session, f"{town(session)}/residents/household-transfer-move-ins",
                             body, key=form["key"]),
        _first_resident, "/procedures/transfers", page=page)


# Household procedures: the form shows the household as read; its version goes in If-Match.
HOUSEHOLD_PROCEDURES: dict[str, tuple[str, str]] = {
    # path: (template, API suffix)
    "relocation": ("procedures/relocation.html", "relocation"),       # 転居
    "move-out": ("procedures/move_out.html", "move-out"),             # 転出
    "split": ("procedures/split.html", "split"),                      # 世帯分離
    "merge": ("procedures/merge.html", "merge"),                      # 世帯合併
    "head-change": ("procedures/head_change.html", "head-change"),    # 世帯主変更
}


def household_body(kind: str, form: dict[str, str], lists: dict[str, list[str]]) -> Any:
    body: dict[str, Any] = nested(form)
    body.pop("relationships", None)
    body.pop("remaining_relationships", None)
    relationships = nested(form, prefix="relationships.")
    if kind in ("merge", "head-change") or relationships:
        body["relationships"] = relationships
    remaining = nested(form, prefix="remaining_relationships.")
    if remaining:
        body["remaining_relationships"] = remaining
    if kind == "split":
        body["members"] = lists.get("members", [])
    if kind == "move-out" and lists.get("members"):
        body["members"] = lists["members"]
    return body


# 世帯合併: the household to merge in is found by searching for one of its members (by
# POST, like the person search: names stay out of URLs), then chosen by that member's id.
@router.post("/households/{household_id}/merge/find")
async def merge_candidates(request: Request, session: Clerk, form: Form, gateway: Api,
                           household_id: str) -> Response:
    household = await _household(gateway, session, household_id)
    values = {k: v for k, v in form.items() if k in SEARCH_FIELDS}
    body = search_body(form)
    errors, page = None, None
    if set(body) <= {"include_former", "limit", "cursor"}:
        errors = form_errors(422, {"detail": "検索条件を一つ以上入力してください。"}, set())
    else:
        try:
            page = await gateway.post(session, f"{town(session)}/residents/search", body,
                                      purpose="register-procedure")
        except ApiError as error:
            errors = form_errors(error.status, error.problem, SEARCH_FIELDS)
    template = ("procedures/_merge_candidates.html" if request.headers.get("HX-Request")
                else "procedures/merge.html")
    return render(request, template, session, household=household, candidates=page,
                  picker_values=values, picker_errors=errors)


async def _merge_form(request: Request, session: Session, gateway: Gateway,
                      household: Any, person: str | None) -> Response:
    """The merge form; with ``person`` chosen, their household and its members' 続柄."""
    other = None
    if person:
        record = await gateway.get(session, f"{town(session)}/residents/{person}",
                                   purpose="register-procedure")
        if record.get("household_id") and record["household_id"] != household["id"]:
            other = await _household(gateway, session, record["household_id"])
        else:
            session.flash.append("その人の世帯はこの世帯と同じか、世帯がありません。")
    return render(request, "procedures/merge.html", session, household=household, other=other)


@router.get("/households/{household_id}/{kind}")
async def household_form(request: Request, session: Clerk, gateway: Api, household_id: str,
                         kind: str, person: str | None = None) -> Response:
    if kind == "birth":
        return await birth_form(request, session, gateway, household_id)
    template, _ = HOUSEHOLD_PROCEDURES[kind]
    household = await _household(gateway, session, household_id)
    if kind == "merge":
        return await _merge_form(request, session, gateway, household, person)
    return render(request, template, session, household=household)


@router.post("/households/{household_id}/{kind}")
async def household_procedure(request: Request, session: Clerk, form: Form, lists: Lists,
                              gateway: Api, household_id: str, kind: str) -> Response:
    if kind == "birth":
        return await birth(request, session, form, gateway, household_id)
    template, suffix = HOUSEHOLD_PROCEDURES[kind]
    household = await _household(gateway, session, household_id)
    body = household_body(kind, form, lists)
    url = f"{town(session)}/residents/households/{household_id}/{suffix}"
    other = (await _household(gateway, session, form["other_household_id"])
             if kind == "merge" and form.get("other_household_id") else None)
    return await attempt(
        request, session, template, form,
        lambda: gateway.post(session, url, body, key=form["key"],
                             if_match=etag(form.get("version", ""))),
        _first_resident, f"/households/{household_id}/{kind}", household=household,
        other=other)


# 出生: the child joins the household it is born into
async def birth_form(request: Request, session: Session, gateway: Gateway,
                     household_id: str) -> Response:
    household = await _household(gateway, session, household_id)
    return render(request, "procedures/birth.html", session, household=household)


async def birth(request: Request, session: Session, form: dict[str, str], gateway: Gateway,
                household_id: str) -> Response:
    household = await _household(gateway, session, household_id)
    body: dict[str, Any] = {"person": nested(form, prefix="person."),
                            "household_id": household_id,
                            "confirm_not_duplicate": checked(form, "confirm_not_duplicate")}
    if form.get("relationship", "").strip():
        body["relationship"] = form["relationship"].strip()
    return await attempt(
        request, session, "procedures/birth.html", form,
        lambda: gateway.post(session, f"{town(session)}/residents/births", body,
                             key=form["key"]),
        _first_resident, f"/households/{household_id}/birth", household=household)


# 死亡: of one person; the household's new head if the head died
@router.get("/people/{resident_id}/death")
async def death_form(request: Request, session: Clerk, gateway: Api,
                     resident_id: str) -> Response:
    record, household = await _person_and_household(gateway, session, resident_id)
    return render(request, "procedures/death.html", session, record=record,
                  household=household)


async def _person_and_household(gateway: Gateway, session: Session,
                                resident_id: str) -> tuple[Any, Any]:
    record = await gateway.get(session, f"{town(session)}/residents/{resident_id}",
                               purpose="register-procedure")
    household = (await _household(gateway, session, record["household_id"])
                 if record.get("household_id") else None)
    return record, household


@router.post("/people/{resident_id}/death")
async def death(request: Request, session: Clerk, form: Form, gateway: Api,
                resident_id: str) -> Response:
    record, household = await _person_and_household(gateway, session, resident_id)
    body: dict[str, Any] = nested(form, {"effective_date", "new_head_id"})
    relationships = nested(form, prefix="relationships.")
    if relationships:
        body["relationships"] = relationships
    return await attempt(
        request, session, "procedures/death.html", form,
        lambda: gateway.post(session, f"{town(session)}/residents/{resident_id}/death", body,
                             key=form["key"], if_match=etag(form.get("version", ""))),
        lambda r: f"/people/{resident_id}", f"/people/{resident_id}/death",
        record=record, household=household)


# 個人番号の記載: offered to a resident registrar (the role with mynumber:read); the API
# decides in the end (its 403 is shown like any other refusal).


@router.get("/people/{resident_id}/my-number")
async def my_number_form(request: Request, session: Clerk, gateway: Api,
                         resident_id: str) -> Response:
    record = await gateway.get(session, f"{town(session)}/residents/{resident_id}",
                               purpose="my-number")
    return render(request, "procedures/my_number.html", session, record=record)


@router.post("/people/{resident_id}/my-number")
async def my_number(request: Request, session: Clerk, form: Form, gateway: Api,
                    resident_id: str) -> Response:
    record = await gateway.get(session, f"{town(session)}/residents/{resident_id}",
                               purpose="my-number")
    body = nested(form, {"my_number", "effective_date"})
    return await attempt(
        request, session, "procedures/my_number.html", form,
        lambda: gateway.post(session, f"{town(session)}/residents/{resident_id}/my-number",
                             body, key=form["key"], if_match=etag(form.get("version", "")),
                             purpose="my-number"),
        lambda r: f"/people/{resident_id}", f"/people/{resident_id}/my-number", record=record)


# 職権記載 (住民基本台帳法施行令 §12): a person found living here without a registration is
# recorded by the town on its own authority; a new household, or joining one.
@router.get("/procedures/ex-officio-entry")
async def ex_officio_entry_form(request: Request, session: Clerk, gateway: Api,
                                household: str | None = None) -> Response:
    joining = await _household(gateway, session, household) if household else None
    return render(request, "procedures/ex_officio_entry.html", session, joining=joining)


@router.post("/procedures/ex-officio-entry")
async def ex_officio_entry(request: Request, session: Clerk, form: Form,
                           gateway: Api) -> Response:
    return await _new_person(request, session, form, gateway, "ex_officio_entry",
                             "ex-officio-entries", {"effective_date"})


# 職権消除 (同 §12): a record of someone found not to live here is removed; the head's
# household is given a new head, like at a death (If-Match: the record as read).
@router.get("/people/{resident_id}/ex-officio-removal")
async def ex_officio_removal_form(request: Request, session: Clerk, gateway: Api,
                                  resident_id: str) -> Response:
    record, household = await _person_and_household(gateway, session, resident_id)
    return render(request, "procedures/ex_officio_removal.html", session, record=record,
                  household=household)


@router.post("/people/{resident_id}/ex-officio-removal")
async def ex_officio_removal(request: Request, session: Clerk, form: Form, gateway: Api,
                             resident_id: str) -> Response:
    record, household = await _person_and_household(gateway, session, resident_id)
    body: dict[str, Any] = nested(form, {"effective_date", "new_head_id"})
    relationships = nested(form, prefix="relationships.")
    if relationships:
        body["relationships"] = relationships
    return await attempt(
        request, session, "procedures/ex_officio_removal.html", form,
        lambda: gateway.post(session,
                             f"{town(session)}/residents/{resident_id}/ex-officio-removal",
                             body, key=form["key"], if_match=etag(form.get("version", ""))),
        lambda r: f"/people/{resident_id}", f"/people/{resident_id}/ex-officio-removal",
        record=record, household=household)
