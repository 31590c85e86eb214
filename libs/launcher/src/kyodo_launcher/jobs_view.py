"""`kyodo jobs watch`: follow a long job (bulk assessment, CSV import, 罹災証明書 job) through
the gateway, drawn as a progress bar with its rate and time remaining.

Every job resource answers its state and how far it is; their field names differ a little per
service (tax says ``done``, disaster ``processed``), so a snapshot reads either. Polling only:
the job's own GET is the single source of truth, and a lost poll is simply retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

# kind → the job's path under /v1/municipalities/{code}/
KINDS = {
    "bulk-assessment": "tax/bulk-assessments/{id}",
    "salary-import": "tax/salary-reports/imports/{id}",
    "certificate-job": "disaster/certificate-jobs/{id}",
    "survey-import": "disaster/survey-imports/{id}",
}
FINISHED = frozenset({"finished", "failed"})  # kyodo_common.jobs.JOB_STATES' ends
# Counters worth showing beside the bar, in this order, when a job has them.
COUNTERS = ("accepted", "houses_created", "surveys_recorded", "applications_created",
            "unchanged", "superseding", "assessed", "corrected", "marked_ready",
            "already_ready", "rejected", "refused")


class JobWatchError(Exception):
    """The job cannot be followed (unknown, forbidden, the gateway away): said in words."""


def job_url(gateway: str, code: str, target: str, job_id: str | None = None) -> str:
    """``target`` is a URL, a path from a Location header, or a kind with ``job_id``."""
    if target.startswith(("http://", "https://")):
        return target
    if target.startswith("/"):
        return gateway.rstrip("/") + target
    if target not in KINDS or not job_id:
        raise JobWatchError(f"name a job URL, or a kind ({', '.join(KINDS)}) and its id")
    return f"{gateway.rstrip('/')}/v1/municipalities/{code}/" + KINDS[target].format(id=job_id)


@dataclass(frozen=True)
class Snapshot:
    state: str
    done: int
    total: int | None
    counters: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    @classmethod
    def of(cls, body: dict[str, Any]) -> Snapshot:
        done = body.get("done", body.get("processed", 0)) or 0
        return cls(state=str(body.get("state", "?")), done=int(done),
                   total=body.get("total"),
                   counters={k: int(body[k]) for k in COUNTERS
                             if isinstance(body.get(k), int)},
                   error=body.get("error"))

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def summary(self) -> str:
        return "  ".join(f"{k} {v}" for k, v in self.counters.items())


def login(client: httpx.Client, gateway: str, code: str, username: str, password: str) -> str:
    response = client.post(f"{gateway.rstrip('/')}/v1/auth/token", data={
        "grant_type": "password", "municipality_code": code, "username": username,
        "password": password})
    if response.status_code != 200:
        raise JobWatchError(f"login refused ({response.status_code})")
    token: str = response.json()["access_token"]
    return token


def fetch(client: httpx.Client, url: str, token: str) -> Snapshot:
    try:
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise JobWatchError(f"the gateway did not answer ({type(exc).__name__})") from None
    if response.status_code != 200:
        raise JobWatchError(f"{url}: {response.status_code} {response.text[:200]}")
    return Snapshot.of(response.json())


class RateColumn(ProgressColumn):
    """Items per second over rich's recent samples (the ETA column uses the same speed)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "–/s", style="progress.data.speed")


def watch(client: httpx.Client, url: str, token: str, *, console: Console,
          interval: float = 1.0, sleep: Callable[[float], None] = time.sleep,
          max_polls: int | None = None) -> Snapshot:
    """Polls until the job is finished (or ``max_polls``); returns the last snapshot."""
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               RateColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
               TextColumn("{task.fields[counters]}"))
    polls = 0
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("queued", total=None, counters="")
        while True:
            snap = fetch(client, url, token)
            polls += 1
            progress.update(task, description=snap.state, completed=snap.done,
                            total=snap.total if snap.total is not None else None,
                            counters=snap.summary())
            if snap.finished or (max_polls is not None and polls >= max_polls):
                break
            sleep(interval)
    if snap.error:
        console.print(f"[red]error:[/red] {snap.error}")
    return snap
