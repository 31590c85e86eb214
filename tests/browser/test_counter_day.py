"""A counter day in a real browser: Sanjo registers a household (世帯主, spouse, child), it
moves within Sanjo (転居) and then to Nagaoka (転出); Nagaoka takes it in from the transfer
notices (転入), registers a birth (出生) and issues a 住民票の写し whose verification code the
public page confirms; a Nagaoka clerk under Sanjo's support grant issues a 罹災証明書 in
Sanjo's name. axe-core checks every page on the way."""

from __future__ import annotations

import re
import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kyodo_common.clock import today_in_japan
from tests.e2e.conftest import RunningPlatform

from .conftest import ARTIFACTS, Clerk, api_post

pytestmark = [pytest.mark.browser, pytest.mark.timeout(420)]
SANJO, NAGAOKA = "152048", "152021"
PASSWORD = "ouen-password-1234"
SCREENS = ARTIFACTS / "screens"


def fill(clerk: Clerk, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = clerk.page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def submit(clerk: Clerk, name: str) -> None:
    clerk.page.get_by_role("button", name=name, exact=True).click()
    clerk.page.wait_for_load_state()


def follow(clerk: Clerk, link: str) -> None:
    clerk.page.get_by_role("link", name=link, exact=True).first.click()
    clerk.page.wait_for_load_state()


def person(kana: str, given: str, birth: str, sex: str) -> dict[str, str]:
    return {"person.family_name": "窓口", "person.given_name": given,
            "person.family_name_kana": kana.split()[0], "person.given_name_kana": kana.split()[1],
            "person.birth_date": birth, "person.sex": sex}


def screen(clerk: Clerk, name: str) -> None:
    """The main screens for the README (test-artifacts/screens)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    clerk.page.screenshot(path=str(SCREENS / f"{name}.png"))


def until(clerk: Clerk, path: str, text: str, seconds: float = 45) -> None:
    """Reload ``path`` until ``text`` shows (an event on its way through the broker)."""
    for _ in range(int(seconds * 2)):
        clerk.goto(path)
        if text in clerk.page.content():
            return
        clerk.page.wait_for_timeout(500)
    raise AssertionError(f"{text!r} not on {path} within {seconds} s")


def test_a_counter_day(platform: RunningPlatform, clerks: dict[str, Clerk]) -> None:
    today = today_in_japan().isoformat()
    street = f"旭町二丁目{uuid.uuid4().int % 9000 + 10}番1号"
    destination = f"新潟県長岡市大手通1丁目{uuid.uuid4().int % 9000 + 10}番地"
    sanjo = clerks["sanjo"]
    sanjo.login(SANJO, "clerk", "kyodo-clerk", keyboard=True)
    assert "三条市" in sanjo.page.locator("header").inner_text()
    sanjo.step("login")
    screen(sanjo, "menu")

    # 世帯主: 住民登録 (a new household)
    follow(sanjo, "住民登録")
    sanjo.step("register-form")
    fill(sanjo, {"family_name": "窓口", "given_name": "一郎", "family_name_kana": "マドグチ",
                 "given_name_kana": "イチロウ", "birth_date": "1985-05-05", "sex": "male",
                 "postal_code": "955-8686", "address": f"新潟県三条市{street}"})
    sanjo.page.get_by_label("同一人の記録がないことを確認した").check()
    submit(sanjo, "登録する")
    assert "受け付けました" in sanjo.page.content()
    head_url = sanjo.page.url
    sanjo.step("head-registered")

    # 妻 and 子: 転入 joining the household
    for kana, given, birth, sex, relationship in (("マドグチ ハナコ", "花子", "1987-07-07",
                                                   "female", "妻"),
                                                  ("マドグチ タロウ", "太郎", "2015-01-15",
                                                   "male", "子")):
        sanjo.goto(head_url)
        follow(sanjo, "転入届（この世帯に加わる）")
        sanjo.step(f"move-in-form-{relationship}")
        fill(sanjo, {"effective_date": today, **person(kana, given, birth, sex),
                     "previous_address": "東京都千代田区千代田1番1号",
                     "household.join.relationship": relationship})
        sanjo.page.get_by_label("同一人の記録がないことを確認した").check()
        submit(sanjo, "受け付ける")
        assert "受け付けました" in sanjo.page.content(), sanjo.page.content()[-2000:]
    sanjo.goto(head_url)
    members = sanjo.page.get_by_role("table", name="世帯員（記載順）").inner_text()
    assert members.index("一郎") < members.index("花子") < members.index("太郎")
    sanjo.step("household")
    screen(sanjo, "person")

    # A field the API refuses is shown next to the field, in Japanese
    follow(sanjo, "転居届（世帯）")
    fill(sanjo, {"effective_date": today, "postal_code": "955-0072", "address": "x" * 301})
    submit(sanjo, "受け付ける")
    assert sanjo.page.locator("#f-address-error").inner_text() == "300文字以内で入力してください。"
    sanjo.step("relocation-refused")

    # 転居
    fill(sanjo, {"effective_date": today, "postal_code": "955-0072",
                 "address": f"新潟県三条市元町{uuid.uuid4().int % 90 + 1}番{street[-4:]}"})
    submit(sanjo, "受け付ける")
    assert "受け付けました" in sanjo.page.content()
    sanjo.step("relocated")

    # 転出 to Nagaoka, the whole household
    sanjo.goto(head_url)
    follow(sanjo, "転出届（世帯）")
    fill(sanjo, {"effective_date": today, "destination.municipality_code": NAGAOKA,
                 "destination.postal_code": "940-8501",
                 "destination.address": destination})
    sanjo.step("move-out-form")
    submit(sanjo, "受け付ける")
    assert "受け付けました" in sanjo.page.content()
    sanjo.step("moved-out")
    sanjo.logout()

    # 転入 in Nagaoka: the three transfer notices, the head as head
    nagaoka = clerks["nagaoka"]
    nagaoka.login(NAGAOKA, "clerk", "kyodo-clerk")
    until(nagaoka, "/procedures/transfers", destination)
    nagaoka.step("transfers")
    screen(nagaoka, "transfers")
    ours = nagaoka.page.get_by_role("row").filter(has_text=destination)
    for given in ("一郎", "花子", "太郎"):
        ours.filter(has_text=f"窓口 {given}（").get_by_label(f"窓口 {given}を選ぶ").check()
    ours.filter(has_text="窓口 一郎（").get_by_label("窓口 一郎を世帯主にする").check()
    fill(nagaoka, {"effective_date": today})
    submit(nagaoka, "転入を受け付ける")
    assert "受け付けました" in nagaoka.page.content(), nagaoka.page.content()[-2000:]
    nagaoka_head = nagaoka.page.url
    nagaoka.step("moved-in")

    # 出生
    follow(nagaoka, "出生届（この世帯に）")
    fill(nagaoka, person("マドグチ ミライ", "未来", today, "female"))
    submit(nagaoka, "受け付ける")
    assert "受け付けました" in nagaoka.page.content()
    nagaoka.goto(nagaoka_head)
    assert "未来" in nagaoka.page.get_by_role("table", name="世帯員（記載順）").inner_text()
    nagaoka.step("born")

    # 住民票の写し of the whole household, with 続柄; downloaded; its code verified
    follow(nagaoka, "住民票の写しを交付")
    nagaoka.page.get_by_label("続柄").check()
    nagaoka.step("residence-form")
    submit(nagaoka, "交付する")
    assert "住民票の写しを交付しました" in nagaoka.page.content()
    code = nagaoka.page.locator("#verification-code").inner_text().strip()
    assert nagaoka.page.get_by_role("button", name="印刷する").is_visible()  # print.js
    nagaoka.step("certificate")
    screen(nagaoka, "certificate")
    with nagaoka.page.expect_download() as download:
        nagaoka.page.get_by_role("link", name="PDFをダウンロード").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    nagaoka.goto(f"/verify?code={code}")
    verdict = nagaoka.page.locator(".verdict").inner_text()
    assert "有効な証明書です" in verdict and NAGAOKA in verdict
    nagaoka.step("verified")

    # Voided with a reason: the public page says so
    nagaoka.page.go_back()
    nagaoka.page.wait_for_load_state()
    fill(nagaoka, {"reason": "記載事項の誤り"})
    submit(nagaoka, "無効にする")
    assert "証明書を無効にしました" in nagaoka.page.content()
    nagaoka.goto(f"/verify?code={code}")
    assert "無効にされています" in nagaoka.page.locator(".verdict").inner_text()
    nagaoka.step("voided")
    nagaoka.logout()

    # A Nagaoka clerk under Sanjo's grant issues a 罹災証明書 in Sanjo's name
    _damage_certificate_by_a_partner(platform, clerks, today, street)


def _damage_certificate_by_a_partner(platform: RunningPlatform, clerks: dict[str, Clerk],
                                     today: str, street: str) -> None:
    helper = f"ouen.{uuid.uuid4().hex[:6]}"
    nagaoka_admin = platform.login(NAGAOKA, "admin", "kyodo-admin")
    staff = api_post(platform, nagaoka_admin, f"/v1/municipalities/{NAGAOKA}/identity/staff",
                     {"login": helper, "initial_password": PASSWORD,
                      "roles": ["disaster_support"]})
    assert staff.status_code == 201, staff.text
    sanjo_admin = platform.login(SANJO, "admin", "kyodo-admin")
    sanjo_staff = f"bousai.{uuid.uuid4().hex[:6]}"
    assert api_post(platform, sanjo_admin, f"/v1/municipalities/{SANJO}/identity/staff",
                    {"login": sanjo_staff, "initial_password": PASSWORD,
                     "roles": ["disaster_support"]}).status_code == 201
    bousai = platform.login(SANJO, sanjo_staff, PASSWORD)
    start = today_in_japan()
    declared = api_post(platform, bousai, f"/v1/municipalities/{SANJO}/disaster/disasters", {
        "name": f"三条市豪雨{uuid.uuid4().hex[:4]}", "kind": "flood",
        "occurred_on": (start - timedelta(days=1)).isoformat(), "affected_area": ["旭町二丁目"],
        "application_opens_on": today,
        "application_closes_on": (start + timedelta(days=60)).isoformat()})
    assert declared.status_code == 201, declared.text
    disaster: dict[str, Any] = declared.json()

    # Sanjo's admin lends the helper the rights, on the admin page
    admin = clerks["sanjo-admin"]
    admin.login(SANJO, "admin", "kyodo-admin")
    follow(admin, "応援職員の権限付与")
    fill(admin, {"grantee.municipality_code": NAGAOKA, "grantee.login": helper, "days": "30",
                 "disaster_ref": disaster["id"], "note": "罹災証明の交付応援"})
    for label in ("被災情報の照会", "被災調査・申請の受付", "証明書の交付"):
        admin.page.get_by_label(label, exact=True).check()
    submit(admin, "付与する")
    assert "受け付けました" in admin.page.content(), admin.page.content()[-2000:]
    admin.step("granted")
    screen(admin, "grants")
    admin.logout()

    partner = clerks["partner"]
    partner.login(NAGAOKA, helper, PASSWORD)
    partner.page.get_by_label("操作する市区町村").select_option(SANJO)
    submit(partner, "切り替え")
    header = partner.page.locator("header").inner_text()
    assert "三条市（152048）の名で操作中" in header and "期限" in header
    partner.step("acting-for-sanjo")
    for _ in range(60):  # the gateway learns of the grant by push (within seconds)
        follow(partner, "災害・罹災証明")
        if disaster["name"] in partner.page.content():
            break
        partner.page.wait_for_timeout(500)
    follow(partner, disaster["name"])
    fill(partner, {"postal_code": "955-8686", "address": f"新潟県三条市{street}"})
    submit(partner, "登録する")
    assert "受け付けました" in partner.page.content(), partner.page.content()[-2000:]
    partner.step("house")
    fill(partner, {"kind": "first", "damage_ratio": "41.20", "surveyed_on": today})
    # A photo's metadata read from the image in the browser (the image is not sent)
    partner.page.get_by_label("写真1の画像から読み取る").set_input_files(files=[{
        "name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8 a flooded room"}])
    expect(partner.page.locator("#f-photos-0-sha256")).to_have_value(  # no eval: CSP
        re.compile(r"^[0-9a-f]{64}$"))
    submit(partner, "記録する")
    assert "IMG_0001.jpg" in partner.page.content()
    assert partner.page.locator("#grade").inner_text() == "大規模半壊"
    partner.step("surveyed")
    screen(partner, "house")
    house_url = partner.page.url
    for _ in range(60):  # certificates learns of the survey by event
        submit(partner, "三条市の名で罹災証明書を交付する")
        if "/certificates/" in partner.page.url:
            break
        partner.page.wait_for_timeout(500)
        partner.goto(house_url)
    assert "罹災証明書を交付しました" in partner.page.content(), partner.page.content()[-2000:]
    code = partner.page.locator("#verification-code").inner_text().strip()
    partner.step("damage-certificate")
    partner.goto(f"/verify?code={code}")
    verdict = partner.page.locator(".verdict").inner_text()
    assert "有効な証明書です" in verdict and SANJO in verdict
    partner.step("damage-verified")
    partner.goto(f"/disaster/{disaster['id']}/applications")  # the list (axe-checked)
    assert "罹災証明書の交付申請" in partner.page.content()
    partner.step("applications")
    montage(["person", "transfers", "certificate", "house"])


def montage(names: list[str]) -> None:
    """The README's picture of the main screens: four of them, two by two, at half size."""
    from PIL import Image

    shots = [Image.open(SCREENS / f"{name}.png") for name in names]
    width, height = shots[0].width // 2, shots[0].height // 2
    sheet = Image.new("RGB", (width * 2, height * 2), "white")
    for index, shot in enumerate(shots):
        sheet.paste(shot.resize((width, height)), ((index % 2) * width, (index // 2) * height))
    sheet.save(SCREENS / "counter-screens.png", optimize=True)


def test_the_chromium_path_is_debians() -> None:
    assert shutil.which("chromium") is not None
    assert re.match(r"/usr/(s?bin|lib)/", shutil.which("chromium") or "")
