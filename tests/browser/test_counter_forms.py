"""The forms added to the counter app, in a real browser with axe-core on each new page:
職権記載 (a refused field shown next to it, then accepted), the 世帯合併 picker (the household
found by searching, chosen by a click), 職権消除, and the 課税証明書 form (a year the person
did not live here on 1 January refused at the year, in Japanese)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from kyodo_common.clock import today_in_japan
from tests.e2e.conftest import RunningPlatform

from .conftest import Clerk, api_post
from .test_counter_day import SANJO, fill, follow, submit

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _registered(platform: RunningPlatform, kana: str, given: str, street: str) -> Any:
    token = platform.login(SANJO, "clerk", "kyodo-clerk")
    created = api_post(platform, token, f"/v1/municipalities/{SANJO}/residents", {
        "family_name": "合併", "given_name": given, "family_name_kana": kana,
        "given_name_kana": "ハナコ", "birth_date": "1960-02-02", "sex": "female",
        "postal_code": "955-8686", "address": f"新潟県三条市{street}",
        "confirm_not_duplicate": True})
    assert created.status_code == 201, created.text
    return created.json()


def test_ex_officio_forms_and_the_merge_picker(platform: RunningPlatform,
                                               clerks: dict[str, Clerk]) -> None:
    today = today_in_japan().isoformat()
    street = f"旭町三丁目{uuid.uuid4().int % 9000 + 10}番2号"
    kana = "ガッペイ" + "".join("アイウエオカキクケコ"[int(c)] for c in str(uuid.uuid4().int)[:4])
    _registered(platform, kana, "花子", f"元町{uuid.uuid4().int % 90 + 1}番")

    sanjo = clerks["sanjo-forms"]
    sanjo.login(SANJO, "clerk", "kyodo-clerk")

    # 職権記載: the kana typed in Latin letters is refused next to its field, then accepted
    follow(sanjo, "職権記載（届出のない居住者を記載）")
    form = {"effective_date": today, "person.family_name": "職権", "person.given_name": "昭",
            "person.family_name_kana": "Shokken", "person.given_name_kana": "アキラ",
            "person.birth_date": "1948-10-30", "person.sex": "male",
            "household.new_household.postal_code": "955-8686",
            "household.new_household.address": f"新潟県三条市{street}"}
    fill(sanjo, form)
    sanjo.page.get_by_label("同一人の記録がないことを確認した").check()
    submit(sanjo, "記載する")
    error = sanjo.page.locator("#f-person-family_name_kana-error")
    assert error.is_visible(), sanjo.page.content()[-2000:]
    assert "カタカナ" in error.inner_text()
    sanjo.step("ex-officio-refused")
    fill(sanjo, {"person.family_name_kana": "ショッケン"})
    sanjo.page.get_by_label("同一人の記録がないことを確認した").check()
    submit(sanjo, "記載する")
    assert "受け付けました" in sanjo.page.content(), sanjo.page.content()[-2000:]
    head_url = sanjo.page.url
    sanjo.step("ex-officio-entered")

    # 世帯合併: search for a member of the other household, pick it, give the 続柄
    follow(sanjo, "世帯合併")
    sanjo.page.get_by_label("氏名（カタカナ、前方一致）").fill(kana)
    submit(sanjo, "世帯を探す")
    pick = sanjo.page.get_by_role("link", name="この人の世帯を合わせる")
    pick.first.wait_for()
    sanjo.step("merge-candidates")
    pick.first.click()
    sanjo.page.wait_for_load_state()
    fill(sanjo, {"effective_date": today})
    sanjo.page.get_by_label("合併 花子の続柄").fill("妻")
    sanjo.step("merge-form")
    submit(sanjo, "受け付ける")
    assert "受け付けました" in sanjo.page.content(), sanjo.page.content()[-2000:]
    sanjo.goto(head_url)
    assert "花子" in sanjo.page.get_by_role("table", name="世帯員（記載順）").inner_text()

    # 課税証明書 of a year the person did not live here on 1 January: refused at the year
    follow(sanjo, "課税・非課税証明書を交付")
    sanjo.step("tax-certificate-form")
    submit(sanjo, "交付する")
    refusal = sanjo.page.locator("#f-fiscal_year-error")
    assert "1月1日" in refusal.inner_text(), sanjo.page.content()[-2000:]

    # 職権消除 of the spouse who joined: the record says 職権消除
    sanjo.goto(head_url)
    sanjo.page.get_by_role("link", name="合併 花子").click()
    sanjo.page.wait_for_load_state()
    follow(sanjo, "職権消除")
    sanjo.step("ex-officio-removal-form")
    fill(sanjo, {"effective_date": today})
    submit(sanjo, "消除する")
    assert "受け付けました" in sanjo.page.content(), sanjo.page.content()[-2000:]
    assert "職権消除" in sanjo.page.locator("dl.record").inner_text()
