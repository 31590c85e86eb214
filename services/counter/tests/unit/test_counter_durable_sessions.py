"""Sessions that outlive a restart of the app: a SQLite file in the state directory, each
session sealed with the app's own key; idle expiry and logout still end them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from kyodo_counter.app import create_app
from kyodo_counter.gateway import Gateway
from kyodo_counter.session_file import FILE_NAME, SessionFile
from kyodo_counter.sessions import Grant, SessionStore
from kyodo_counter.settings import CounterSettings

TOKEN = "access-token-that-must-not-be-on-disk"
REFRESH = "refresh-token-that-must-not-be-on-disk"
KEY = "k" * 43


class FakeApi:
    def __init__(self) -> None:
        self.calls: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if request.url.path == "/v1/auth/token":
            return httpx.Response(200, json={"access_token": TOKEN, "token_type": "Bearer",
                                             "expires_in": 900, "refresh_token": REFRESH})
        if request.url.path == "/v1/auth/me":
            return httpx.Response(200, json={
                "subject": "s", "home_municipality": "152048", "home_name": "三条市",
                "roles": ["counter_clerk"], "scopes": [], "grants": []})
        if request.url.path == "/v1/auth/logout":
            return httpx.Response(204)
        return httpx.Response(404, json={"status": 404})


@contextmanager
def running(state: Path, api: FakeApi, keys: str = KEY, cookies: httpx.Cookies | None = None,
            ) -> Iterator[TestClient]:
    """One life of the app: what it kept in memory dies with it."""
    gateway = Gateway("http://gateway", httpx.AsyncClient(
        base_url="http://gateway", transport=httpx.MockTransport(api.handle)))
    settings = CounterSettings.model_validate({"KYODO_COUNTER_STATE_DIR": str(state),
                                               "KYODO_COUNTER_SESSION_KEYS": keys})
    with TestClient(create_app(settings, gateway), follow_redirects=False,
                    cookies=cookies) as client:
        yield client


def _login(client: TestClient) -> None:
    import re
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert csrf is not None
    done = client.post("/login", data={"csrf": csrf[1], "municipality_code": "152048",
                                       "username": "clerk", "password": "kyodo-clerk"})
    assert done.status_code == 303


def test_a_signed_in_clerk_is_still_signed_in_after_the_app_restarts(tmp_path: Path) -> None:
    api = FakeApi()
    with running(tmp_path, api) as first:
        _login(first)
        first.post("/acting", data={"csrf": "x"})  # refused (CSRF): changes nothing
        cookies = first.cookies
        assert first.get("/").status_code == 200
    with running(tmp_path, api, cookies=cookies) as second:
        page = second.get("/")
        assert page.status_code == 200, page.headers.get("location")
        assert "三条市" in page.text
        second.get("/people/00000000-0000-0000-0000-000000000000")  # a call in their name
    last = api.calls[-1]
    assert last.headers["Authorization"] == f"Bearer {TOKEN}"


def test_the_file_holds_no_token_nor_the_cookies_id(tmp_path: Path) -> None:
    api = FakeApi()
    with running(tmp_path, api) as client:
        _login(client)
        session_id = client.cookies["kyodo_counter"]
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for secret in (TOKEN, REFRESH, session_id, "clerk\"", "三条市"):
        assert secret.encode() not in raw, secret
    assert (tmp_path / FILE_NAME).stat().st_mode & 0o077 == 0


def test_a_session_sealed_under_a_key_no_longer_given_is_ended(tmp_path: Path) -> None:
    api = FakeApi()
    with running(tmp_path, api) as client:
        _login(client)
        cookies = client.cookies
    with running(tmp_path, api, keys="another-key", cookies=cookies) as client:
        assert client.get("/").headers["location"] == "/login"
    with running(tmp_path, api, keys=f"another-key,{KEY}", cookies=cookies) as client:
        assert client.get("/").status_code == 200  # the older key still opens it


def test_logout_deletes_the_stored_session(tmp_path: Path) -> None:
    api = FakeApi()
    with running(tmp_path, api) as client:
        _login(client)
        cookies = httpx.Cookies(client.cookies)
        import re
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
        assert csrf is not None
        assert client.post("/logout", data={"csrf": csrf[1]}).status_code == 303
    with running(tmp_path, api, cookies=cookies) as client:
        assert client.get("/").headers["location"] == "/login"


def test_idle_time_counts_across_a_restart_and_idle_sessions_are_purged(tmp_path: Path) -> None:
    durable = SessionFile(tmp_path, [KEY])
    store = SessionStore(idle_seconds=60, durable=durable)
    session = store.start(now=1000.0)
    session.access_token, session.grants = "a", (Grant("152021", "長岡市", "2027-01-01"),)
    store.flush()
    restarted = SessionStore(idle_seconds=60, durable=durable)
    again = restarted.get(session.id, now=1050.0)
    assert again is not None and again.access_token == "a"
    assert again.grants == session.grants and again.roles == frozenset()
    restarted.flush()
    later = SessionStore(idle_seconds=60, durable=durable)
    assert later.get(session.id, now=1200.0) is None  # 150 s idle

    def rows() -> int:
        count: int = sqlite3.connect(tmp_path / FILE_NAME).execute(
            "SELECT COUNT(*) FROM sessions").fetchone()[0]
        return count

    assert rows() == 0  # ended, and gone from the file
    forgotten = later.start(now=6000.0)  # a clerk who never comes back
    forgotten.access_token = "b"
    later.flush()
    assert rows() == 1
    later.start(now=9000.0)  # any start purges the idle rows of every clerk
    later.flush()
    assert rows() == 0 and durable.load(forgotten.id) is None


def _rows(state: Path) -> int:
    count: int = sqlite3.connect(state / FILE_NAME).execute(
        "SELECT COUNT(*) FROM sessions").fetchone()[0]
    return count


def test_a_visitor_who_only_opens_the_login_form_writes_nothing(tmp_path: Path) -> None:
    with running(tmp_path, FakeApi()) as client:
        for _ in range(3):
            assert client.get("/login").status_code == 200
        assert _rows(tmp_path) == 0
        _login(client)
        assert _rows(tmp_path) == 1  # the clerk's, once signed in


def test_anonymous_sessions_do_not_pile_up_in_memory() -> None:
    store = SessionStore(idle_seconds=60)
    for second in range(100):
        store.start(now=1000.0 + second * 0.1)  # a flood of GET /login
    assert len(store) == 100
    store.start(now=2000.0)  # long after: the idle ones are gone
    assert len(store) == 1


def test_a_file_left_readable_by_others_is_made_private(tmp_path: Path) -> None:
    state = tmp_path / "state"
    SessionFile(state, [KEY]).close()
    (state / FILE_NAME).chmod(0o644)
    (state / f"{FILE_NAME}-wal").write_bytes(b"")  # left by a crash, readable by others
    (state / f"{FILE_NAME}-wal").chmod(0o644)
    state.chmod(0o755)
    opened = SessionFile(state, [KEY])
    try:
        for path in (state / FILE_NAME, state / f"{FILE_NAME}-wal", state):
            assert path.stat().st_mode & 0o077 == 0, path
    finally:
        opened.close()


def test_a_session_stored_by_an_older_version_ends_instead_of_failing(tmp_path: Path) -> None:
    import json
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from kyodo_counter.session_file import _key, _row_key

    durable = SessionFile(tmp_path, [KEY])
    old_shape = json.dumps({"id": "old", "csrf": "c", "last_seen": 1.0, "roles": [],
                            "grants": [], "municipality": "152048"}).encode()
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(_key(KEY)).encrypt(nonce, old_shape, _row_key("old").encode())
    durable._db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (_row_key("old"), 1.0, sealed))
    assert durable.load("old") is None
    assert _rows(tmp_path) == 0  # and its row is gone


def test_a_state_directory_without_a_key_is_refused(tmp_path: Path) -> None:
    settings = CounterSettings.model_validate({"KYODO_COUNTER_STATE_DIR": str(tmp_path)})
    with pytest.raises(RuntimeError, match="KYODO_COUNTER_SESSION_KEYS"):
        create_app(settings)


def test_each_page_says_where_its_server_time_went(tmp_path: Path) -> None:
    api = FakeApi()
    with running(tmp_path, api) as client:
        _login(client)
        page = client.get("/people/00000000-0000-0000-0000-000000000000")
    timing = page.headers["server-timing"]
    parts = dict(p.strip().split(";", 1)[0:2] for p in timing.split(","))
    assert set(parts) == {"api", "session", "app", "total"}
    assert 'desc="gateway calls: 1"' in timing
    assert "00000000-" not in timing and "people" not in timing  # durations only
