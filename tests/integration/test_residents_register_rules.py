"""The counter day's register rules (#18, DOMAIN.md §3, §5): possible duplicates, dates checked
against each other, announced 転出, foreign residents moving between platform towns, 転入前住所,
and the success paths of 死亡, 職権消除 and 国外転出."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from kyodo_residents_events import ResidentDied, ResidentMovedOut, ResidentRemoved

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork
from kyodo_residents.service_layer.moves import complete_announced_move_outs
from kyodo_testing import Infrastructure, TokenMinter

from .conftest import NAGAOKA, SANJO
from .residents_client import Clerk, residents_app
from .test_residents_household_moves import (
    _deliver_notices,
    _etag,
    _outbox,
    _outbox_count,
    _register_counts,
)

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
NAGAOKA_ADDRESS = {"address": "新潟県長岡市大手通1丁目4番地10", "municipality_code": NAGAOKA,
                   "postal_code": "940-0062"}


def day(offset: int) -> str:
    return (today_in_japan() + timedelta(days=offset)).isoformat()


@pytest.fixture(scope="module")
async def clerks(infrastructure: Infrastructure, tokens: TokenMinter,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Clerk, Clerk]]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield Clerk(client, SANJO, tokens), Clerk(client, NAGAOKA, tokens)


def _unique_address() -> str:
    return f"新潟県三条市東裏館{uuid.uuid4().int % 10_000}番地"


def _person(kana: tuple[str, str], birth: str, **more: Any) -> dict[str, Any]:
    return {"family_name": "重複", "given_name": "確認", "family_name_kana": kana[0],
            "given_name_kana": kana[1], "sex": "female", "birth_date": birth, **more}


def _move_in_body(address: str, person: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"kind": "domestic", "effective_date": day(0), "person": person,
            "household": {"new_household": {"postal_code": "955-0072", "address": address}},
            "previous_address": "東京都千代田区千代田1番1号", **more}


async def _before(infrastructure: Infrastructure) -> tuple[Any, int]:
    return (await _register_counts(infrastructure, SANJO), await _outbox_count(infrastructure))


# -- 1. a possible duplicate is caught ---------------------------------------------------------

async def test_a_new_entry_like_a_current_resident_is_refused_until_the_clerk_confirms(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure,
) -> None:
    sanjo, _ = clerks
    address, person = _unique_address(), _person(("チョウフク", "カクニン"), "1985-06-06")
    first = await sanjo.post("/move-ins", _move_in_body(address, person))
    assert first.status_code == 201, first.text
    existing = first.json()["residents"][0]
    before = await _before(infrastructure)

    # Keyed in again (hiragana readings, normalized to the same katakana): a 409 naming the
    # candidate by id only, and nothing written.
    again = await sanjo.post("/move-ins", _move_in_body(
        address, {**person, "family_name_kana": "ちょうふく", "given_name": "別人"}))
    assert again.status_code == 409, again.text
    assert again.headers["content-type"] == PROBLEM
    problem = again.json()
    assert problem["candidates"] == [{"resident_id": existing["resident_id"], "matched": [
        "family_name_kana", "given_name_kana", "birth_date", "address"]}]
    assert "重複" not in again.text and address not in again.text  # ids, not personal data
    assert [p["name"] for p in problem["invalid_params"]] == ["confirm_not_duplicate"]
    # The same for a 職権記載 and for 住民登録 into the same household's address.
    entry = await sanjo.post("/ex-officio-entries", {
        "effective_date": day(0), "person": person,
        "household": {"new_household": {"postal_code": "955-0072", "address": address}}})
    assert entry.status_code == 409, entry.text
    registered = await sanjo.post("", {**{k: person[k] for k in (
        "family_name", "given_name", "family_name_kana", "given_name_kana", "sex",
        "birth_date")}, "postal_code": "955-0072", "address": address})
    assert registered.status_code == 409, registered.text
    assert await _before(infrastructure) == before

    confirmed = await sanjo.post("/move-ins", _move_in_body(address, person,
                                                            confirm_not_duplicate=True))
    assert confirmed.status_code == 201, confirmed.text
    # Another birth date, or another address, is nobody's duplicate.
    other = await sanjo.post("/move-ins", _move_in_body(address, {**person,
                                                                  "birth_date": "1985-06-07"}))
    assert other.status_code == 201, other.text


async def test_a_birth_of_a_child_already_registered_is_a_possible_duplicate(
    clerks: tuple[Clerk, Clerk],
) -> None:
    sanjo, _ = clerks
    head = (await sanjo.move_in(family="出生", kana=("シュッセイ", "オヤ"), effective=day(-30),
                                household={"new_household": {
                                    "postal_code": "955-0072",
                                    "address": _unique_address()}}))["residents"][0]
    body = {"person": {"family_name": "出生", "given_name": "子", "family_name_kana": "シュッセイ",
                       "given_name_kana": "コ", "sex": "male", "birth_date": day(-3)},
            "household_id": head["household_id"]}
    assert (await sanjo.post("/births", body)).status_code == 201
    twice = await sanjo.post("/births", body)
    assert twice.status_code == 409, twice.text
    assert len(twice.json()["candidates"]) == 1
    twins = await sanjo.post("/births", {**body, "confirm_not_duplicate": True})
    assert twins.status_code == 201, twins.text


async def test_a_caller_who_may_not_see_a_protected_resident_is_not_told_of_them(
    clerks: tuple[Clerk, Clerk], tokens: TokenMinter,
) -> None:
    """支援措置: the duplicate check reads through row-level security like every read; a
    protected candidate is not listed to a caller who may not see them (docs/operations.md)."""
    sanjo, _ = clerks
    address, person = _unique_address(), _person(("ホゴ", "チョウフク"), "1979-09-09")
    first = (await sanjo.post("/move-ins", _move_in_body(address, person))).json()
    resident_id = first["residents"][0]["resident_id"]
    protected = await sanjo.post(f"/{resident_id}/protection-measures", {"starts_on": day(0)})
    assert protected.status_code == 201, protected.text

    home_staff = await sanjo.post("/move-ins", _move_in_body(address, person))
    assert home_staff.status_code == 409
    assert home_staff.json()["candidates"][0]["resident_id"] == resident_id
    blind = Clerk(sanjo.client, SANJO, tokens)
    blind.headers["Authorization"] = f"Bearer {tokens.token(SANJO)}"
    hidden = await blind.post("/move-ins", _move_in_body(address, person))
    assert hidden.status_code == 201, hidden.text
    assert resident_id not in hidden.text


# -- 2. dates checked against each other -------------------------------------------------------

async def _moved_to_nagaoka(sanjo: Clerk, infrastructure: Infrastructure, residents_db: Database,
                            *, moved_on: str, family: str = "日付", **person: Any
                            ) -> tuple[dict[str, Any], str]:
    """A Sanjo resident's 転出 to Nagaoka on ``moved_on``; the notice delivered there."""
    resident = (await sanjo.move_in(family=family, effective=day(-90), household={
        "new_household": {"postal_code": "955-0072", "address": _unique_address()}},
        **person))["residents"][0]
    moved = await sanjo.post(f"/{resident['resident_id']}/move-out", {
        "effective_date": moved_on, "destination": NAGAOKA_ADDRESS},
        version=resident["version"])
    assert moved.status_code == 200, moved.text
    [notice] = await _deliver_notices(infrastructure, residents_db, [resident["resident_id"]])
    return resident, str(notice.transfer_id)


async def test_a_move_in_before_the_move_out_it_follows_is_refused(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, residents_db: Database,
) -> None:
    sanjo, nagaoka = clerks
    _, transfer = await _moved_to_nagaoka(sanjo, infrastructure, residents_db, moved_on=day(-3))
    before = await _register_counts(infrastructure, NAGAOKA)
    early = await nagaoka.post("/transfer-move-ins", {"transfer_id": transfer,
                                                      "effective_date": day(-5)})
    assert early.status_code == 422, early.text
    assert early.headers["content-type"] == PROBLEM
    assert [p["name"] for p in early.json()["invalid_params"]] == ["effective_date"]
    assert await _register_counts(infrastructure, NAGAOKA) == before
    on_time = await nagaoka.post("/transfer-move-ins", {"transfer_id": transfer,
                                                        "effective_date": day(-3)})
    assert on_time.status_code == 201, on_time.text
    assert on_time.json()["late_filing"] is False


async def test_a_transfer_move_in_is_late_from_the_actual_move_not_from_the_filing(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, residents_db: Database,
) -> None:
    """The 転出 filed today for a move 20 days ago; the 転入 comes today: late (14 days from
    the move), although the notice itself is fresh."""
    sanjo, nagaoka = clerks
    _, transfer = await _moved_to_nagaoka(sanjo, infrastructure, residents_db, moved_on=day(-20))
    moved_in = await nagaoka.post("/transfer-move-ins", {"transfer_id": transfer,
                                                         "effective_date": day(-20)})
    assert moved_in.status_code == 201, moved_in.text
    assert moved_in.json()["late_filing"] is True


async def test_a_special_move_in_more_than_30_days_after_the_announced_date_is_refused(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, residents_db: Database,
) -> None:
    sanjo, nagaoka = clerks
    _, transfer = await _moved_to_nagaoka(sanjo, infrastructure, residents_db, moved_on=day(-31))
    before = await _register_counts(infrastructure, NAGAOKA)
    refused = await nagaoka.post("/transfer-move-ins", {
        "transfer_id": transfer, "effective_date": day(-31), "with_my_number_card": True})
    assert refused.status_code == 422, refused.text
    assert [p["name"] for p in refused.json()["invalid_params"]] == ["transfer_id"]
    assert await _register_counts(infrastructure, NAGAOKA) == before
    # Without the card it is an ordinary (late) 転入.
    ordinary = await nagaoka.post("/transfer-move-ins", {"transfer_id": transfer,
                                                         "effective_date": day(-31)})
    assert ordinary.status_code == 201, ordinary.text
    assert ordinary.json()["late_filing"] is True


async def test_nobody_joins_a_household_before_it_was_formed(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure,
) -> None:
    sanjo, _ = clerks
    head = (await sanjo.move_in(family="結成", effective=day(-10), household={
        "new_household": {"postal_code": "955-0072",
                          "address": _unique_address()}}))["residents"][0]
    household = head["household_id"]
    other = (await sanjo.move_in(family="別居", kana=("ベッキョ", "タロウ"), effective=day(-90),
                                 household={"new_household": {
                                     "postal_code": "955-0072",
                                     "address": _unique_address()}}))["residents"][0]
    before = await _before(infrastructure)
    joined = await sanjo.post("/move-ins", _move_in_body("", _person(("ケッセイ", "ツマ"),
                                                                     "1982-02-02"),
                                                         effective_date=day(-11), household={
        "join": {"household_id": household, "relationship": "妻"}}))
    assert joined.status_code == 422, joined.text
    assert [p["name"] for p in joined.json()["invalid_params"]] == ["effective_date"]
    changed = await sanjo.post(f"/households/{household}/household-change", {
        "effective_date": day(-11), "resident_id": other["resident_id"],
        "relationship": "同居人"}, version=await _etag(sanjo, f"/households/{household}"))
    assert changed.status_code == 422, changed.text
    assert [p["name"] for p in changed.json()["invalid_params"]] == ["effective_date"]
    assert await _before(infrastructure) == before
    on_the_day = await sanjo.post(f"/households/{household}/household-change", {
        "effective_date": day(-10), "resident_id": other["resident_id"],
        "relationship": "同居人"}, version=await _etag(sanjo, f"/households/{household}"))
    assert on_the_day.status_code == 200, on_the_day.text


async def test_a_future_move_out_stays_announced_until_its_day(
    clerks: tuple[Clerk, Clerk], residents_db: Database,
) -> None:
    sanjo, _ = clerks
    resident = (await sanjo.move_in(family="予定", kana=("ヨテイ", "タロウ"), effective=day(-90),
                                    household={"new_household": {
                                        "postal_code": "955-0072",
                                        "address": _unique_address()}}))["residents"][0]
    rid = resident["resident_id"]
    moved = await sanjo.post(f"/{rid}/move-out", {
        "effective_date": day(10), "destination": NAGAOKA_ADDRESS}, version=resident["version"])
    assert moved.status_code == 200, moved.text
    assert moved.json()["residents"][0]["status"] == "announced"
    now = (await sanjo.get(f"/{rid}")).json()
    assert (now["status"], now["left_on"]) == ("announced", day(10))
    found = await sanjo.post("/search", {"kana_prefix": "ヨテイ タロウ"})
    assert rid in [h["id"] for h in found.json()["items"]]  # still a current resident
    assert (await sanjo.get(f"/{rid}", as_of=day(9))).json()["status"] == "resident"
    # The daily completion before the day changes nothing; on the day the 転出 takes effect.
    done = await sanjo.post("/announced-move-outs/completion", {})
    assert done.status_code == 200, done.text
    assert (await sanjo.get(f"/{rid}")).json()["status"] == "announced"
    async with UnitOfWork(residents_db, source="kyodo/residents",
                          municipality_code=SANJO) as uow:
        outcomes = await complete_announced_move_outs(
            uow=uow, today=today_in_japan() + timedelta(days=10))
        await uow.commit()
    assert rid in [str(o.event.subject_id) for o in outcomes]
    after = (await sanjo.get(f"/{rid}")).json()
    assert (after["status"], after["left_on"]) == ("moved_out", day(10))
    assert (await sanjo.get(f"/{rid}", as_of=day(10))).json()["status"] == "moved_out"


# -- 3. and 4. a foreign resident moves between platform towns; 転入前住所 -----------------------

async def test_a_foreign_resident_moves_to_another_platform_town_with_their_status(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, residents_db: Database,
) -> None:
    sanjo, nagaoka = clerks
    origin, transfer = await _moved_to_nagaoka(
        sanjo, infrastructure, residents_db, moved_on=day(-2), family="グエン",
        kana=("グエン", "ヴァン"), nationality="VN", latin_name="NGUYEN VAN A",
        residence_status="技術・人文知識・国際業務", residence_card_number="AB12345678CD",
        stay_until="2029-03-31")
    moved_in = await nagaoka.post("/transfer-move-ins", {"transfer_id": transfer,
                                                         "effective_date": day(-2)})
    assert moved_in.status_code == 201, moved_in.text
    arrived = (await nagaoka.get(f"/{moved_in.json()['residents'][0]['resident_id']}")).json()
    assert (arrived["nationality"], arrived["residence_status"], arrived["stay_until"]) == (
        "VN", "技術・人文知識・国際業務", "2029-03-31")
    # 転入前住所: the address Sanjo registered, as an address (no town code glued to it).
    assert arrived["moved_in_from"] == origin["address"]
    assert arrived["previous_address"] == origin["address"]
    assert moved_in.json()["residents"][0]["moved_in_from"] == origin["address"]


async def test_a_keyed_move_in_keeps_its_previous_address_through_a_move_within_the_town(
    clerks: tuple[Clerk, Clerk],
) -> None:
    sanjo, _ = clerks
    head = (await sanjo.move_in(family="転居", kana=("テンキョ", "タロウ"), effective=day(-30),
                                household={"new_household": {
                                    "postal_code": "955-0072",
                                    "address": _unique_address()}}))["residents"][0]
    household = head["household_id"]
    relocated = await sanjo.post(f"/households/{household}/relocation", {
        "effective_date": day(0), "postal_code": "9550071", "address": _unique_address()},
        version=await _etag(sanjo, f"/households/{household}"))
    assert relocated.status_code == 200, relocated.text
    now = (await sanjo.get(f"/{head['resident_id']}")).json()
    assert now["moved_in_from"] == "東京都千代田区千代田1番1号"  # 転入前住所
    assert now["previous_address"] == head["address"]  # 異動前住所


# -- 5. success paths, 処理日 -------------------------------------------------------------------

async def _family(clerk: Clerk, family: str) -> dict[str, Any]:
    address = {"new_household": {"postal_code": "955-0072", "address": _unique_address()}}
    head = (await clerk.move_in(family=family, effective=day(-60), household=address))
    household = head["residents"][0]["household_id"]
    spouse = await clerk.move_in(family=family, given="花子", kana=("カゾク", "ハナコ"),
                                 sex="female", effective=day(-60), household={"join": {
                                     "household_id": household, "relationship": "妻"}})
    return {"head": head["residents"][0], "spouse": spouse["residents"][0],
            "household": household}


@pytest.mark.parametrize(("path", "status", "reason", "event"), [
    ("death", "dead", "死亡", ResidentDied),
    ("ex-officio-removal", "removed", "職権消除", ResidentRemoved),
    ("move-out", "moved_out", "国外転出", ResidentMovedOut),
])
async def test_a_head_leaves_the_register_and_the_spouse_heads_the_household(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, path: str, status: str,
    reason: str, event: Any,
) -> None:
    sanjo, _ = clerks
    family = await _family(sanjo, f"成功{path}")
    head, spouse = family["head"], family["spouse"]
    body: dict[str, Any] = {"effective_date": day(-1), "new_head_id": spouse["resident_id"]}
    if path == "move-out":
        body["destination"] = {"address": "123 Rue de Rivoli, Paris", "country": "France"}
    left = await sanjo.post(f"/{head['resident_id']}/{path}", body, version=head["version"])
    assert left.status_code == 200, left.text
    assert (left.json()["reason"], left.json()["effective_date"]) == (reason, day(-1))
    states = {s["resident_id"]: s for s in left.json()["residents"]}
    assert (states[head["resident_id"]]["status"], states[head["resident_id"]]["left_on"]) == (
        status, day(-1))
    assert states[spouse["resident_id"]]["relationship"] == "世帯主"
    household = (await sanjo.get(f"/households/{family['household']}")).json()
    assert [m["resident_id"] for m in household["members"]] == [spouse["resident_id"]]
    assert household["head_id"] == spouse["resident_id"]
    events = await _outbox(infrastructure, event.event_type, [head["resident_id"]])
    assert len(events) == 1
    # No transfer notice abroad; the record stays, with its history.
    assert (await sanjo.get(f"/{head['resident_id']}")).json()["status"] == status
    assert (await sanjo.get(f"/{head['resident_id']}", as_of=day(-2))).json()["status"] == \
        "resident"


async def test_the_processing_date_is_set_by_the_register_and_cannot_be_sent(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure,
) -> None:
    sanjo, _ = clerks
    body = _move_in_body(_unique_address(), _person(("ショリ", "ビ"), "1990-10-10"),
                         effective_date=day(-5))
    before = await _before(infrastructure)
    for field in ("registered_on", "processing_date"):
        refused = await sanjo.post("/move-ins", {**body, field: day(-400)})
        assert refused.status_code == 422, refused.text
        assert field in str(refused.json()["invalid_params"])
    assert await _before(infrastructure) == before
    made = await sanjo.post("/move-ins", body)
    assert made.status_code == 201, made.text
    rid = made.json()["residents"][0]["resident_id"]
    read = (await sanjo.get(f"/{rid}")).json()
    assert (read["registered_on"], read["became_resident_on"]) == (day(0), day(-5))
