"""The register's procedures through the residents API: rules, refusals, history, ETags."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
import sqlalchemy as sa

from kyodo_common.clock import today_in_japan
from kyodo_common.db import asyncpg_dsn
from kyodo_testing import Infrastructure, TokenMinter

from .conftest import SANJO
from .db_roles import as_owner, as_relay
from .residents_client import Clerk, residents_app

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


def day(offset: int) -> str:
    return (today_in_japan() + timedelta(days=offset)).isoformat()


@pytest.fixture(scope="module")
async def clerk(infrastructure: Infrastructure, tokens: TokenMinter,
                tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Clerk]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield Clerk(client, SANJO, tokens)


async def _counts(infrastructure: Infrastructure) -> tuple[int, int, int]:
    """The clerk's municipality's residents and history (as the owner), and every event (as
    the relay)."""
    [row] = await as_owner(infrastructure, "residents", SANJO,
                           "SELECT (SELECT count(*) FROM residents) AS r, "
                           "(SELECT count(*) FROM resident_history) AS h")
    [events] = await as_relay(infrastructure, "residents", "SELECT count(*) AS o FROM outbox")
    return row["r"], events["o"], row["h"]


async def _family(clerk: Clerk) -> dict[str, Any]:
    """A head, a spouse and a child living together since two months ago."""
    head = (await clerk.move_in(effective=day(-60)))["residents"][0]
    household = head["household_id"]
    spouse = (await clerk.move_in(given="花子", kana=("ヤマダ", "ハナコ"), sex="female",
                                  effective=day(-60), household={"join": {
                                      "household_id": household, "relationship": "妻"}}))
    child = (await clerk.move_in(given="一郎", kana=("やまだ", "いちろう"), birth="2010-05-05",
                                 effective=day(-60), household={"join": {
                                     "household_id": household, "relationship": "子"}}))
    return {"head": head, "spouse": spouse["residents"][0], "child": child["residents"][0],
            "household": household}


async def _version(clerk: Clerk, path: str) -> int:
    response = await clerk.get(path)
    assert response.status_code == 200, response.text
    return int(response.headers["ETag"].removeprefix("W/").strip('"'))


@pytest.mark.parametrize("case", [
    "future-effective-date", "death-of-unknown-person", "head-dies-leaving-no-head",
    "second-head", "my-number-check-digit", "five-link-chain", "forbidden-kinship-word",
    "missing-if-match", "stale-if-match",
])
async def test_each_refusal_is_a_problem_that_changes_nothing(
    clerk: Clerk, infrastructure: Infrastructure, case: str,
) -> None:
    family = await _family(clerk)
    head, household = family["head"], family["household"]
    join = {"household_id": household}
    before = await _counts(infrastructure)
    if case == "future-effective-date":
        response = await clerk.post("/move-ins", {
            "kind": "domestic", "effective_date": day(3), "previous_address": "東京都",
            "person": {"family_name": "未来", "given_name": "人", "family_name_kana": "ミライ",
                       "given_name_kana": "ヒト", "sex": "male", "birth_date": "1990-01-01"},
            "household": {"new_household": {"postal_code": "9558686", "address": "三条市"}}})
        field, status = "effective_date", 422
    elif case == "death-of-unknown-person":
        response = await clerk.post(f"/{uuid.uuid4()}/death", {"effective_date": day(0)},
                                    version=1)
        field, status = None, 404
    elif case == "head-dies-leaving-no-head":
        response = await clerk.post(f"/{head['resident_id']}/death",
                                    {"effective_date": day(0)}, version=head["version"])
        field, status = "new_head_id", 422
    elif case == "second-head":
        response = await clerk.post("/births", {
            "person": {"family_name": "山田", "given_name": "次郎", "family_name_kana": "ヤマダ",
                       "given_name_kana": "ジロウ", "sex": "male", "birth_date": day(-1)},
            "household_id": household, "relationship": "世帯主"})
        field, status = "relationship", 422
    elif case == "my-number-check-digit":
        response = await clerk.post(f"/{head['resident_id']}/my-number", {
            "my_number": "123456789019", "effective_date": day(0)}, version=head["version"])
        field, status = "my_number", 422
    elif case == "five-link-chain":
        response = await clerk.post("/births", {
            "person": {"family_name": "山田", "given_name": "五郎", "family_name_kana": "ヤマダ",
                       "given_name_kana": "ゴロウ", "sex": "male", "birth_date": day(-1)},
            "household_id": household, "relationship": "子の子の子の子の子"})
        field, status = "relationship", 422
    elif case == "forbidden-kinship-word":
        response = await clerk.post("/move-ins", {
            "kind": "domestic", "effective_date": day(0), "previous_address": "東京都",
            "person": {"family_name": "山田", "given_name": "孫", "family_name_kana": "ヤマダ",
                       "given_name_kana": "マゴ", "sex": "male", "birth_date": "2020-01-01"},
            "household": {"join": {**join, "relationship": "孫"}}})
        field, status = "relationship", 422
    elif case == "missing-if-match":
        response = await clerk.post(f"/households/{household}/relocation", {
            "effective_date": day(0), "postal_code": "9558686", "address": "三条市新町"})
        field, status = "If-Match", 428
    else:
        response = await clerk.post(f"/households/{household}/relocation", {
            "effective_date": day(0), "postal_code": "9558686", "address": "三条市新町"},
            version=999)
        field, status = None, 412
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    if field:
        assert field in [p["name"] for p in response.json()["invalid_params"]]
    assert await _counts(infrastructure) == before


async def test_a_late_move_in_is_accepted_and_flagged(clerk: Clerk) -> None:
    late = await clerk.move_in(effective=day(-20))
    on_time = await clerk.move_in(effective=day(-14))
    assert late["late_filing"] is True and late["reason"] == "転入"
    assert on_time["late_filing"] is False


async def test_a_move_out_may_be_announced_for_a_future_date_and_needs_a_new_head(
    clerk: Clerk,
) -> None:
    family = await _family(clerk)
    head, spouse, child = family["head"], family["spouse"], family["child"]
    moved = await clerk.post(f"/{head['resident_id']}/move-out", {
        "effective_date": day(10),
        "destination": {"address": "東京都千代田区1-1", "municipality_code": "131016",
                        "postal_code": "100-0001"},
        "new_head_id": spouse["resident_id"],
        "relationships": {child["resident_id"]: "子"}}, version=head["version"])
    assert moved.status_code == 200, moved.text
    assert moved.json()["late_filing"] is False  # announced before the move
    states = {s["resident_id"]: s for s in moved.json()["residents"]}
    # Still registered here until the day (announced); the household is settled at filing.
    assert states[head["resident_id"]]["status"] == "announced"
    assert states[spouse["resident_id"]]["relationship"] == "世帯主"
    household = await clerk.get(f"/households/{family['household']}")
    assert [m["given_name"] for m in household.json()["members"]] == ["花子", "一郎"]


async def test_history_answers_as_of_a_date_for_residents_and_households(clerk: Clerk) -> None:
    family = await _family(clerk)
    household = family["household"]
    version = await _version(clerk, f"/households/{household}")
    relocated = await clerk.post(f"/households/{household}/relocation", {
        "effective_date": day(-30), "postal_code": "955-0071", "address": "新潟県三条市本町1"},
        version=version)
    assert relocated.status_code == 200, relocated.text
    born = await clerk.post("/births", {
        "person": {"family_name": "山田", "given_name": "桜", "family_name_kana": "ヤマダ",
                   "given_name_kana": "サクラ", "sex": "female", "birth_date": day(-10)},
        "household_id": household})
    assert born.status_code == 201, born.text
    head_id = family["head"]["resident_id"]

    before_move = (await clerk.get(f"/{head_id}", as_of=day(-45))).json()
    after_move = (await clerk.get(f"/{head_id}", as_of=day(-20))).json()
    assert before_move["address"] == "新潟県三条市旭町二丁目3番1号"
    assert after_move["address"] == "新潟県三条市本町1"
    assert (await clerk.get(f"/{head_id}", as_of=day(-61))).status_code == 404

    then = (await clerk.get(f"/households/{household}", as_of=day(-11))).json()
    now = (await clerk.get(f"/households/{household}")).json()
    assert [m["given_name"] for m in then["members"]] == ["太郎", "花子", "一郎"]
    assert [m["given_name"] for m in now["members"]] == ["太郎", "花子", "一郎", "桜"]


async def test_two_updates_with_the_same_etag_give_one_success_and_one_412(
    clerk: Clerk,
) -> None:
    family = await _family(clerk)
    household = family["household"]
    version = await _version(clerk, f"/households/{household}")
    responses = await asyncio.gather(*(
        clerk.post(f"/households/{household}/relocation", {
            "effective_date": day(0), "postal_code": "9558686", "address": f"三条市{n}丁目"},
            version=version) for n in (1, 2)))
    assert sorted(r.status_code for r in responses) == [200, 412]


async def test_split_merge_and_head_change_keep_one_head(clerk: Clerk) -> None:
    family = await _family(clerk)
    household, child = family["household"], family["child"]
    version = await _version(clerk, f"/households/{household}")
    split = await clerk.post(f"/households/{household}/split", {
        "effective_date": day(0), "members": [child["resident_id"]],
        "new_head_id": child["resident_id"]}, version=version)
    assert split.status_code == 200, split.text
    new_household = next(s for s in split.json()["residents"]
                         if s["resident_id"] == child["resident_id"])["household_id"]
    assert new_household != household

    version = await _version(clerk, f"/households/{household}")
    merged = await clerk.post(f"/households/{household}/merge", {
        "effective_date": day(0), "other_household_id": new_household,
        "relationships": {child["resident_id"]: "子"}}, version=version)
    assert merged.status_code == 200, merged.text

    version = await _version(clerk, f"/households/{household}")
    changed = await clerk.post(f"/households/{household}/head-change", {
        "effective_date": day(0), "new_head_id": family["spouse"]["resident_id"],
        "relationships": {family["head"]["resident_id"]: "夫",
                          child["resident_id"]: "子"}}, version=version)
    assert changed.status_code == 200, changed.text
    members = (await clerk.get(f"/households/{household}")).json()["members"]
    assert [(m["given_name"], m["relationship"]) for m in members] == [
        ("花子", "世帯主"), ("太郎", "夫"), ("一郎", "子")]


async def test_my_number_is_encrypted_masked_and_read_only_with_scope_and_purpose(
    clerk: Clerk, infrastructure: Infrastructure, tokens: TokenMinter,
) -> None:
    head = (await clerk.move_in(effective=day(0)))["residents"][0]
    number = "983205673214"
    stored = await clerk.post(f"/{head['resident_id']}/my-number", {
        "my_number": number, "effective_date": day(0)}, version=head["version"])
    assert stored.status_code == 200, stored.text
    assert number not in stored.text
    resident = await clerk.get(f"/{head['resident_id']}")
    assert resident.json()["my_number"] == "************"
    assert number not in resident.text
    full = await clerk.get(f"/{head['resident_id']}/my-number")
    assert full.json() == {"my_number": number}

    without_scope = await clerk.client.get(
        clerk.url(f"/{head['resident_id']}/my-number"),
        headers={"Authorization": f"Bearer {tokens.token(SANJO, 'residents:read')}",
                 "X-Kyodo-Purpose": "identity-check"})
    assert without_scope.status_code == 403
    [raw] = await as_owner(infrastructure, "residents", SANJO,
                           "SELECT my_number_cipher AS c FROM residents WHERE id = $1",
                           uuid.UUID(head["resident_id"]))
    [outbox] = await as_relay(infrastructure, "residents",
                              "SELECT string_agg(data::text, '') AS d FROM outbox")
    assert number.encode() not in raw["c"]
    assert number not in outbox["d"]
    taken = await clerk.move_in(effective=day(0))
    duplicate = await clerk.post(f"/{taken['residents'][0]['resident_id']}/my-number", {
        "my_number": number, "effective_date": day(0)}, version=1)
    assert duplicate.status_code == 409


async def test_search_by_kana_prefix_pages_with_a_cursor(clerk: Clerk) -> None:
    marker = "ヲ" + uuid.uuid4().hex[:6].upper().translate(str.maketrans(
        "0123456789ABCDEF", "アイウエオカキクケコサシスセソタ"))
    for n in range(5):
        await clerk.move_in(family="検索", given=f"{n}", kana=(marker, "テスト"),
                            effective=day(0))
    first = await clerk.post("/search", {"kana_prefix": marker.lower(), "limit": 2})
    assert first.status_code == 200, first.text
    seen = [h["id"] for h in first.json()["items"]]
    cursor = first.json()["next"]
    while cursor:
        page = (await clerk.post("/search", {"kana_prefix": marker, "limit": 2,
                                             "cursor": cursor})).json()
        seen += [h["id"] for h in page["items"]]
        cursor = page["next"]
    assert len(seen) == len(set(seen)) == 5
    refused = await clerk.post("/search", {"limit": 2})
    assert refused.status_code == 422
    for body in ({"limit": 0}, {"limit": 101}, {"cursor": first.json()["next"][:-3]}):
        bad = await clerk.post("/search", {"kana_prefix": marker, **body})
        assert bad.status_code == 422
        assert [p["name"] for p in bad.json()["invalid_params"]] == list(body)


async def test_protected_residents_are_hidden_from_other_parties(
    clerk: Clerk, infrastructure: Infrastructure,
) -> None:
    from kyodo_common.assertion import Acting
    from kyodo_common.auth import Principal
    from kyodo_testing import PlatformKeys

    marker = "ヴ" + "ァ" * 3
    person = (await clerk.move_in(family="保護", kana=(marker, "ヒトリ"),
                                  effective=day(0)))["residents"][0]
    protected = await clerk.post(f"/{person['resident_id']}/protection-measures",
                                 {"starts_on": day(0)})
    assert protected.status_code == 201, protected.text
    own_staff = (await clerk.post("/search", {"kana_prefix": marker})).json()["items"]
    assert [h["protected"] for h in own_staff] == [True]

    import time

    granted = Principal(subject="nagaoka-clerk", home_municipality="152021", kind="staff",
                        roles=frozenset(), scopes=frozenset({"residents:read"}),
                        expires_at=time.time() + 60, token_id="t")
    assertion = PlatformKeys.shared().assertion(Acting(
        principal=granted, municipality=SANJO, scopes=granted.scopes, grant_id="grant-1",
        expires_at=time.time() + 60))
    other_party = await clerk.client.post(clerk.url("/search"), json={"kana_prefix": marker},
                                          headers={"X-Kyodo-Assertion": assertion,
                                                   "X-Kyodo-Purpose": "support",
                                                   "Idempotency-Key": "x"})
    assert other_party.status_code == 200, other_party.text
    assert other_party.json()["items"] == []
    too_early = await clerk.post(
        f"/{person['resident_id']}/protection-measures/{protected.json()['id']}/extension", {})
    assert too_early.status_code == 422


async def test_the_access_log_tells_who_looked_and_detects_tampering(
    clerk: Clerk, infrastructure: Infrastructure,
) -> None:
    from kyodo_common.audit import seal

    person = (await clerk.move_in(effective=day(0)))["residents"][0]
    await clerk.get(f"/{person['resident_id']}")
    looked = (await clerk.get(f"/{person['resident_id']}/access-log")).json()["items"]
    assert [e["action"] for e in looked] == ["転入", "read"]
    # Two pages of one: the cursor leads from the first entry to the second.
    first = (await clerk.get(f"/{person['resident_id']}/access-log", limit=1)).json()
    assert [e["action"] for e in first["items"]] == ["転入"] and first["next"]
    second = (await clerk.get(f"/{person['resident_id']}/access-log", limit=1,
                              cursor=first["next"])).json()
    assert second["items"][0]["action"] == "read"
    for params in ({"limit": 0}, {"limit": 501}, {"cursor": first["next"] + "x"}):
        refused = await clerk.get(f"/{person['resident_id']}/access-log", **params)
        assert refused.status_code == 422
        assert [p["name"] for p in refused.json()["invalid_params"]] == list(params)
    assert looked[1]["purpose"] == "identity-check" and looked[1]["actor"] == "test-clerk"

    relay = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("residents")
                                              ["RELAY_DATABASE_URL"]))
    try:
        await seal(relay)
    finally:
        await relay.close()
    verified = await clerk.get("/access-log/verification")
    assert verified.json()["valid"] is True and verified.json()["entries"] >= 2

    owner = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url("residents")))
    try:
        async with owner.transaction():  # the owner too sees only the tenant's rows
            await owner.execute("SELECT set_config('kyodo.municipality', $1, true)", SANJO)
            await owner.execute("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only")
            await owner.execute(
                "UPDATE access_log SET purpose = 'nothing to see' WHERE id = (SELECT id FROM "
                "access_log WHERE municipality_code = $1 AND hash IS NOT NULL "
                "ORDER BY seq LIMIT 1)", SANJO)
            await owner.execute("ALTER TABLE access_log ENABLE TRIGGER access_log_append_only")
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            async with owner.transaction():
                await owner.execute("SELECT set_config('kyodo.municipality', $1, true)", SANJO)
                await owner.execute("DELETE FROM access_log WHERE municipality_code = $1",
                                    SANJO)
    finally:
        await owner.close()
    broken = (await clerk.get("/access-log/verification")).json()
    assert broken["valid"] is False and broken["first_broken_seq"] == 1


async def test_the_same_post_twice_gives_one_resident(clerk: Clerk,
                                                      infrastructure: Infrastructure) -> None:
    body = {"kind": "abroad", "effective_date": day(0), "previous_address": "Paris, France",
            "person": {"family_name": "Martin", "given_name": "Claire",
                       "family_name_kana": "マルタン", "given_name_kana": "クレール",
                       "latin_name": "MARTIN CLAIRE", "sex": "female",
                       "birth_date_partial": "1985-06", "nationality": "FR",
                       "residence_status": "永住者"},
            "household": {"new_household": {"postal_code": "9558686", "address": "三条市"}}}
    before = await _counts(infrastructure)
    first = await clerk.post("/move-ins", body, key="same-key-abroad")
    again = await clerk.post("/move-ins", body, key="same-key-abroad")
    assert first.status_code == again.status_code == 201, first.text
    assert first.json() == again.json()
    assert first.json()["reason"] == "国外転入"
    assert (await _counts(infrastructure))[0] == before[0] + 1
    foreign = first.json()["residents"][0]
    assert foreign["birth_date"] is None and foreign["birth_date_partial"] == "1985-06"


async def test_search_by_family_and_given_name_kana(clerk: Clerk) -> None:
    given = "ヲ" + uuid.uuid4().hex[:4].upper().translate(str.maketrans(
        "0123456789ABCDEF", "アイウエオカキクケコサシスセソタ"))
    await clerk.move_in(family="井口", given="浩", kana=("イグチ", given), effective=day(0))
    for typed in (f"いぐち {given}", f"イグチ　{given}", f"ｲｸﾞﾁ {given}"):
        hits = (await clerk.post("/search", {"kana_prefix": typed})).json()["items"]
        assert [h["given_name_kana"] for h in hits] == [given], typed


async def test_a_repeated_protection_with_the_same_key_gets_the_first_answer(
    clerk: Clerk,
) -> None:
    """支援措置 runs through the write pipeline: a clerk's retry gets the measure it started,
    not a 409 for it."""
    person = (await clerk.move_in(family="再送", effective=day(0)))["residents"][0]
    path = f"/{person['resident_id']}/protection-measures"
    first = await clerk.post(path, {"starts_on": day(0)}, key="protect-once")
    again = await clerk.post(path, {"starts_on": day(0)}, key="protect-once")
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()


async def _plan_with_only(infrastructure: Infrastructure, index: str, sql: str) -> str:
    """The plan of ``sql`` under row-level security (as the owner, in Sanjo's transaction)
    with the residents' other indexes dropped, in a transaction rolled back: on a table this
    small their costs tie, and the question is whether this one can serve the statement."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url("residents")))
    try:
        transaction = conn.transaction()
        await transaction.start()
        try:
            for (constraint,) in await conn.fetch(
                    "SELECT conname FROM pg_constraint WHERE conrelid = 'residents'::regclass "
                    "AND contype = 'u'"):
                await conn.execute(f"ALTER TABLE residents DROP CONSTRAINT {constraint} CASCADE")
            for (other,) in await conn.fetch(
                    "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = "
                    "'residents'::regclass AND NOT indisprimary AND indexrelid <> $1::regclass",
                    index):
                await conn.execute(f"DROP INDEX {other}")
            await conn.execute("SELECT set_config('kyodo.municipality', $1, true)", SANJO)
            await conn.execute("SET LOCAL enable_seqscan = off")
            return "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {sql}"))
        finally:
            await transaction.rollback()
    finally:
        await conn.close()


def _kanji_marker() -> str:
    """A family name no other test registers: three kanji drawn from a uuid."""
    kanji = "山川田中林森石原松竹梅桜杉村井上下本"
    return "".join(kanji[b % len(kanji)] for b in uuid.uuid4().bytes[:3])


async def test_search_by_kanji_name_prefix_of_family_or_family_and_given(
    clerk: Clerk, infrastructure: Infrastructure,
) -> None:
    family = _kanji_marker()
    taro = (await clerk.move_in(family=family, given="太郎", effective=day(0)))["residents"][0]
    hanako = (await clerk.move_in(family=family, given="花子", kana=("ヤマダ", "ハナコ"),
                                  effective=day(0)))["residents"][0]
    longer = (await clerk.move_in(family=family + "野", given="太一", kana=("ヤマダノ", "タイチ"),
                                  effective=day(0)))["residents"][0]

    async def found(name: str, **more: Any) -> set[str]:
        response = await clerk.post("/search", {"name": name, **more})
        assert response.status_code == 200, response.text
        return {h["id"] for h in response.json()["items"]}

    ids = {p["resident_id"]: p for p in (taro, hanako, longer)}
    assert await found(family[:2]) >= set(ids)  # a prefix of the 氏
    assert await found(family) == set(ids)
    assert await found(f"{family} 太") == {taro["resident_id"]}
    assert await found(f"{family}\u3000花") == {hanako["resident_id"]}  # typed with a 全角 space
    assert await found(f"  {family}  花子") == {hanako["resident_id"]}
    assert await found(f"{family}野 太一") == {longer["resident_id"]}
    assert await found(f"{family} 太", kana_prefix="ヤマダノ") == set()  # both must match
    assert await found(family, kana_prefix="ヤマダノ") == {longer["resident_id"]}
    assert await found("ﾔﾏﾀﾞ") == set()  # kanji as registered, not by reading
    for bad in ("   ", "\u3000", "渡\x00辺", "渡" * 101, ""):
        refused = await clerk.post("/search", {"name": bad})
        assert refused.status_code == 422, bad
        assert refused.headers["content-type"].startswith(PROBLEM)
        assert [p["name"] for p in refused.json()["invalid_params"]] == ["name"], bad

    # The index serves the view's condition under row-level security (PostgreSQL uses an
    # index only for leakproof conditions: starts_with is, ``||`` on the names is not).
    from sqlalchemy.dialects import postgresql

    from kyodo_residents.adapters.tables import residents

    statement = sa.select(residents.c.id).where(
        residents.c.municipality_code == SANJO,
        sa.func.starts_with(residents.c.name_full, family))
    sql = str(statement.compile(dialect=postgresql.dialect(),
                                compile_kwargs={"literal_binds": True}))
    plan = await _plan_with_only(infrastructure, "residents_name", sql)
    assert "Index Cond: ((municipality_code = '152048'::bpchar) AND (name_full >=" in plan, plan


async def test_a_protected_person_is_found_by_name_only_as_by_kana(clerk: Clerk) -> None:
    """支援措置: the name search shows a protected person exactly as the kana search does:
    marked to the town's own staff, not at all to a partner acting under a grant."""
    import time

    from kyodo_common.assertion import Acting
    from kyodo_common.auth import Principal
    from kyodo_testing import PlatformKeys

    family, marker = _kanji_marker(), "ヴ" + "ォ" * 3
    person = (await clerk.move_in(family=family, given="守", kana=(marker, "マモル"),
                                  effective=day(0)))["residents"][0]
    protected = await clerk.post(f"/{person['resident_id']}/protection-measures",
                                 {"starts_on": day(0)})
    assert protected.status_code == 201, protected.text
    by_kana = (await clerk.post("/search", {"kana_prefix": marker})).json()["items"]
    by_name = (await clerk.post("/search", {"name": family})).json()["items"]
    assert by_name == by_kana and [h["protected"] for h in by_name] == [True]

    granted = Principal(subject="nagaoka-clerk", home_municipality="152021", kind="staff",
                        roles=frozenset(), scopes=frozenset({"residents:read"}),
                        expires_at=time.time() + 60, token_id="t")
    assertion = PlatformKeys.shared().assertion(Acting(
        principal=granted, municipality=SANJO, scopes=granted.scopes, grant_id="grant-1",
        expires_at=time.time() + 60))
    headers = {"X-Kyodo-Assertion": assertion, "X-Kyodo-Purpose": "support"}
    for body in ({"kana_prefix": marker}, {"name": family}, {"name": f"{family} 守"}):
        other_party = await clerk.client.post(clerk.url("/search"), json=body, headers=headers)
        assert other_party.status_code == 200, other_party.text
        assert other_party.json()["items"] == [], body
