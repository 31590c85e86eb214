"""Browser tier: the counter app in Debian's chromium (Playwright, never a downloaded browser),
axe-core in every page visited, against one platform started by `kyodo up` for the tier."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import RunningPlatform, running_platform

CHROMIUM_NAMES = ("chromium", "chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SERIOUS = ("serious", "critical")
STARTUP_LIMIT_SECONDS = 180


def chromium_path() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("The browser tier needs Debian's chromium: `apt-get install -y chromium` "
                "(.ci/run installs it). Playwright's own browser download is not used.",
                pytrace=False)


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    chromium_path()  # say what is missing before a minute of startup
    reused = os.environ.get("KYODO_BROWSER_VAR_DIR")  # a developer's `kyodo up`, reused
    if reused:
        state = RunningPlatform(Path(reused), "", None, 0.0)  # type: ignore[arg-type]
        state.gateway = state.state()["gateway_url"]
        yield state
        return
    # Startup is most of the tier's time; on a shared, loaded machine it can pass 90 s.
    with running_platform(tmp_path_factory.mktemp("kyodo-browser") / "var",
                          startup_limit=STARTUP_LIMIT_SECONDS) as running:
        yield running


@pytest.fixture(scope="session")
def counter_url(platform: RunningPlatform) -> str:
    url: str = platform.state()["apps"]["counter"]
    return url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if os.geteuid() == 0 else []  # chromium refuses root otherwise
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=args)
        yield launched
        launched.close()


class Clerk:
    """One clerk's browser context: each step is screenshotted (kept for a failure), and
    axe-core checks every page it arrives at."""

    def __init__(self, browser: Any, base_url: str, name: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.context = browser.new_context(base_url=base_url, locale="ja-JP",
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.name = name
        self.axe = Axe()
        self.steps: list[tuple[str, bytes]] = []
        self.checked: set[str] = set()
        self.spent = {"axe": 0.0, "screenshots": 0.0}

    def step(self, label: str) -> None:
        """After each step: axe on a page not checked yet, and a screenshot (the viewport:
        a full page costs several times as much, and the tier has a time budget)."""
        import time

        started = time.monotonic()
        self.check_accessibility()
        checked = time.monotonic()
        self.steps.append((label, self.page.screenshot()))
        self.spent["axe"] += checked - started
        self.spent["screenshots"] += time.monotonic() - checked

    def check_accessibility(self) -> None:
        path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "{id}", self.page.url.split("?")[0])
        if path in self.checked:
            return
        self.checked.add(path)
        result = self.axe.run(self.page)
        serious = [(v["id"], v["impact"], v["help"]) for v in result.response["violations"]
                   if v["impact"] in SERIOUS]
        assert serious == [], f"axe on {path}: {serious}"

    def goto(self, path: str) -> None:
        self.page.goto(path)

    def login(self, municipality: str, login: str, password: str, *,
              keyboard: bool = False) -> None:
        self.goto("/login")
        if keyboard:  # keyboard only: the skip link first, then the fields in order, Enter
            keys = self.page.keyboard
            keys.press("Tab")
            assert self.page.evaluate("document.activeElement.textContent") == "本文へ移動"
            for _ in range(5):  # past the header's link to the first field
                keys.press("Tab")
                if self.page.evaluate("document.activeElement.name") == "municipality_code":
                    break
            for number, value in enumerate((municipality, login, password)):
                if number:
                    keys.press("Tab")
                keys.type(value)
            keys.press("Enter")
        else:
            self.page.get_by_label("市区町村コード（6桁）").fill(municipality)
            self.page.get_by_label("ログイン名").fill(login)
            self.page.get_by_label("パスワード").fill(password)
            self.page.get_by_role("button", name="ログイン").click()
        self.page.wait_for_url(re.compile(r"/$"))

    def logout(self) -> None:
        self.page.get_by_role("button", name="ログアウト").click()
        self.page.wait_for_url(re.compile(r"/login$"))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for number, (label, png) in enumerate(self.steps, 1):
            (directory / f"{self.name}-{number:02d}-{label}.png").write_bytes(png)


@pytest.fixture
def clerks(browser: Any, counter_url: str,
           request: pytest.FixtureRequest) -> Iterator[dict[str, Clerk]]:
    """Clerks by name; every step's screenshot written to test-artifacts/ when the test
    fails (with the page as it was at the failure)."""
    made: dict[str, Clerk] = {}

    class Clerks(dict[str, Clerk]):
        def __missing__(self, name: str) -> Clerk:
            made[name] = Clerk(browser, counter_url, name)
            self[name] = made[name]
            return made[name]

    yield Clerks()
    print({name: {k: round(v, 1) for k, v in c.spent.items()} for name, c in made.items()})
    report = getattr(request.node, "rep_call", None)
    for clerk in made.values():
        if report is not None and report.failed:
            with contextlib.suppress(Exception):  # the page may be gone with the failure
                clerk.steps.append(("failure", clerk.page.screenshot(full_page=True)))
            clerk.save(ARTIFACTS / request.node.name)
        clerk.context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


def api_token(platform: RunningPlatform, municipality: str, login: str, password: str) -> str:
    return platform.login(municipality, login, password)


def api_post(platform: RunningPlatform, token: str, path: str, body: Any,
             **headers: str) -> httpx.Response:
    import uuid

    return httpx.post(f"{platform.gateway}{path}", json=body, timeout=30, headers={
        "Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex,
        "X-Kyodo-Purpose": "system-check", **headers})
