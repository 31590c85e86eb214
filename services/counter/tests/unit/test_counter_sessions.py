"""Server-side sessions and their CSRF tokens."""

from __future__ import annotations

from kyodo_counter.sessions import Grant, SessionStore, csrf_ok


def test_a_session_ends_after_idling_and_its_id_is_refused() -> None:
    store = SessionStore(idle_seconds=60)
    session = store.start(now=1000.0)
    assert store.get(session.id, now=1059.0) is session
    assert store.get(session.id, now=1200.0) is None
    assert store.get(session.id, now=1201.0) is None


def test_login_gives_a_new_id_and_csrf_token_and_the_old_id_is_dead() -> None:
    store = SessionStore(idle_seconds=60)
    session = store.start(now=1.0)
    old_id, old_csrf = session.id, session.csrf
    store.renew(session)
    assert session.id != old_id and session.csrf != old_csrf
    assert store.get(old_id, now=2.0) is None
    assert store.get(session.id, now=2.0) is session


def test_logout_forgets_the_tokens() -> None:
    store = SessionStore(idle_seconds=60)
    session = store.start(now=1.0)
    session.access_token, session.refresh_token = "a", "r"
    store.end(session)
    assert not session.signed_in and session.refresh_token is None
    assert store.get(session.id, now=2.0) is None


def test_csrf_token_must_be_this_sessions() -> None:
    store = SessionStore(idle_seconds=60)
    mine, other = store.start(), store.start()
    assert csrf_ok(mine, mine.csrf)
    assert not csrf_ok(mine, other.csrf)
    assert not csrf_ok(mine, "")
    assert not csrf_ok(mine, None)


def test_a_partner_clerk_may_act_for_home_and_granting_towns_only() -> None:
    session = SessionStore(idle_seconds=60).start()
    session.home, session.home_name, session.acting = "152021", "長岡市", "152021"
    session.grants = (Grant("152048", "三条市", "2027-01-06T00:00:00+00:00"),)
    assert session.may_act_for("152048") and session.may_act_for("152021")
    assert not session.may_act_for("152111")
    assert session.acting_grant is None and session.acting_name() == "長岡市"
    session.acting = "152048"
    assert session.acting_grant is not None and session.acting_name() == "三条市"
