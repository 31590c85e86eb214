"""`kyodo jobs watch` against a fake gateway: it logs in, polls the job until it finishes and
draws the bar, the counts and the counters; a failed job and an unknown one say so."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from rich.console import Console

from kyodo_launcher.jobs_view import JobWatchError, Snapshot, job_url, login, watch

GATEWAY = "http://127.0.0.1:9"
URL = f"{GATEWAY}/v1/municipalities/152048/tax/salary-reports/imports/42"


def _fake(states: list[dict[str, Any]], seen: list[httpx.Request]) -> httpx.Client:
    answers = iter(states)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/auth/token":
            return httpx.Response(200, json={"access_token": "t0k"})
        if request.url.path.endswith("/42"):
            return httpx.Response(200, json=next(answers))
        return httpx.Response(404, json={"title": "Not found"})

    return httpx.Client(transport=httpx.MockTransport(handle))


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=160, force_terminal=False, color_system=None), out


def test_polls_until_finished_and_renders_progress_and_counters() -> None:
    seen: list[httpx.Request] = []
    states = [
        {"state": "queued", "total": None, "done": 0},
        {"state": "running", "total": 1000, "done": 400, "accepted": 390, "rejected": 10},
        {"state": "finished", "total": 1000, "done": 1000, "accepted": 980, "rejected": 20},
    ]
    client = _fake(states, seen)
    token = login(client, GATEWAY, "152048", "clerk", "pw")
    console, out = _console()
    sleeps: list[float] = []
    last = watch(client, URL, token, console=console, interval=0.5, sleep=sleeps.append)
    text = out.getvalue()
    assert last.finished and last.done == 1000
    assert "finished" in text and "1000/1000" in text
    assert "accepted 980" in text and "rejected 20" in text
    assert "/s" in text  # the rate column
    assert sleeps == [0.5, 0.5]  # polled three times, slept between
    polls = [r for r in seen if r.url.path.endswith("/42")]
    assert [r.headers["Authorization"] for r in polls] == ["Bearer t0k"] * 3


def test_disaster_jobs_count_processed_and_a_failure_is_shown() -> None:
    snap = Snapshot.of({"state": "failed", "total": 5, "processed": 3, "marked_ready": 2,
                        "refused": 1, "error": "database away"})
    assert (snap.done, snap.finished, snap.summary()) == (3, True, "marked_ready 2  refused 1")
    client = _fake([{"state": "failed", "total": 5, "processed": 3,
                     "error": "database away"}], [])
    console, out = _console()
    assert watch(client, URL, "t", console=console, sleep=lambda _: None).state == "failed"
    assert "database away" in out.getvalue()


def test_a_field_survey_import_shows_its_rows_and_counts() -> None:
    assert job_url(GATEWAY, "152048", "survey-import", "42") == (
        f"{GATEWAY}/v1/municipalities/152048/disaster/survey-imports/42")
    client = _fake([
        {"state": "running", "total": 3200, "done": 1501, "houses_created": 1480,
         "surveys_recorded": 1498, "applications_created": 1210, "unchanged": 0,
         "refused": 3, "errors": [{"line": 118, "field": "damage_ratio", "reason": "…"}]},
        {"state": "finished", "total": 3200, "done": 3200, "houses_created": 3150,
         "surveys_recorded": 3190, "applications_created": 2600, "unchanged": 7,
         "refused": 3}], [])
    console, out = _console()
    last = watch(client, f"{GATEWAY}/v1/municipalities/152048/disaster/survey-imports/42", "t",
                 console=console, sleep=lambda _: None)
    assert (last.state, last.done, last.total) == ("finished", 3200, 3200)
    assert last.summary() == ("houses_created 3150  surveys_recorded 3190  "
                              "applications_created 2600  unchanged 7  refused 3")
    assert "3200/3200" in out.getvalue()


def test_job_urls_and_refusals() -> None:
    assert job_url(GATEWAY, "152048", "bulk-assessment", "7") == (
        f"{GATEWAY}/v1/municipalities/152048/tax/bulk-assessments/7")
    assert job_url(GATEWAY, "x", "/v1/municipalities/152048/disaster/certificate-jobs/7") == (
        f"{GATEWAY}/v1/municipalities/152048/disaster/certificate-jobs/7")
    with pytest.raises(JobWatchError):
        job_url(GATEWAY, "152048", "nonsense", "7")
    client = _fake([], [])
    with pytest.raises(JobWatchError, match="404"):
        watch(client, f"{GATEWAY}/v1/x/43", "t", console=_console()[0])
