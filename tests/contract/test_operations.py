"""Operations files agree with the code: the Grafana dashboard and the alert rules use only
metrics and labels the processes export (read from their live /metrics), and every command and
endpoint in docs/operations.md exists.

PromQL is checked structurally here (metric names, label names, brackets); where `promtool` is
on PATH (Debian's `prometheus` package has it) the rules and the compose configuration are
also checked, and the alert rules unit-tested, by it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
import yaml
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy/grafana/kyodo.json"
ALERTS = ROOT / "deploy/prometheus/alerts.yml"
RUNBOOK = ROOT / "docs/operations.md"
SANJO = "152048"
# Labels Prometheus attaches to every scraped series (prometheus.yml, kubernetes.yml).
TARGET_LABELS = {"job", "instance", "service", "component", "namespace", "pod"}
# Series Prometheus makes itself, per target.
SCRAPE_SERIES = {"up"}
SEVERITIES = {"page", "warning"}

# --------------------------------------------------------------------------------------------
# What the processes export, read from their /metrics.
# --------------------------------------------------------------------------------------------


def _exported(text: str) -> dict[str, set[str]]:
    """Series name → label names, from an exposition; families without samples yet count
    with the series names their type gives them."""
    found: dict[str, set[str]] = {}
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"),
                "gauge": ("",)}
    for family in text_string_to_metric_families(text):
        for suffix in suffixes.get(family.type, ("",)):
            found.setdefault(family.name + suffix, set())
        for sample in family.samples:
            found.setdefault(sample.name, set()).update(sample.labels)
    return found


async def _service_exposition() -> str:
    from kyodo_residents.main import create_app

    transport = httpx.ASGITransport(app=create_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://residents") as client:
        # Without its lifespan (no database, no token verifier) the app fails the request:
        # counted like any other answer all the same.
        await client.get(f"/v1/municipalities/{SANJO}/residents/R-1")
        return (await client.get("/metrics")).text


async def _gateway_exposition() -> str:
    from kyodo_common.assertion import new_gateway_key
    from kyodo_gateway.app import create_app
    from kyodo_gateway.settings import GatewaySettings

    settings = GatewaySettings.model_validate({
        "KYODO_UPSTREAM_IDENTITY": None, "KYODO_METRICS_PORT": 0, "KYODO_HOST": "127.0.0.1",
        "KYODO_PORT": 0, "KYODO_UPSTREAM_RESIDENTS": "http://127.0.0.1:9",
        "KYODO_GATEWAY_ASSERTION_KEY": new_gateway_key()[0]})
    gateway = create_app(settings)
    await gateway.start()
    try:
        async with httpx.AsyncClient(timeout=5, trust_env=False) as client:
            answer = await client.get(
                f"http://127.0.0.1:{gateway.port}/v1/municipalities/{SANJO}/residents/R-1")
            assert answer.status_code == 401
            return (await client.get(
                f"http://127.0.0.1:{gateway.metrics_port}/metrics")).text
    finally:
        await gateway.stop(timeout=1)


async def _worker_exposition(monkeypatch: pytest.MonkeyPatch) -> str:
    """What run_worker builds for the residents worker, without a database or broker: its
    consumer and its sampler, which samples a lag the broker stand-in reports."""
    from kyodo_common.db import Database
    from kyodo_common.events import metrics as event_metrics
    from kyodo_common.events.inbox import InboxConsumer
    from kyodo_residents.worker import CONSUMER, SUBSCRIPTIONS

    consumer = InboxConsumer(name=CONSUMER, db=Database("postgresql+asyncpg://127.0.0.1:9/x"),
                             bootstrap_servers="127.0.0.1:9", subscriptions=SUBSCRIPTIONS,
                             dead_letters=None)  # type: ignore[arg-type]

    async def lag(bootstrap: str, group: str, topics: list[str]) -> int:
        return 7

    monkeypatch.setattr(event_metrics, "consumer_lag", lag)
    sampler = event_metrics.EventMetricsSampler(
        "postgresql://relay@127.0.0.1:9/x", "127.0.0.1:9", [(consumer.name, consumer.topics)],
        15.0)
    await sampler.sample_lag(consumer.name, consumer.topics)
    return generate_latest(REGISTRY).decode()


@pytest.fixture(scope="module")
def exported() -> Iterator[dict[str, set[str]]]:
    monkeypatch = pytest.MonkeyPatch()

    async def collect() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for text in (await _service_exposition(), await _gateway_exposition(),
                     await _worker_exposition(monkeypatch)):
            for name, labels in _exported(text).items():
                found.setdefault(name, set()).update(labels)
        return found

    try:
        yield asyncio.run(collect())
    finally:
        monkeypatch.undo()


# --------------------------------------------------------------------------------------------
# PromQL, as far as the files use it.
# --------------------------------------------------------------------------------------------

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{([^{}]*)\}")
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)")
_IDENTIFIER = re.compile(r"(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*")
_KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
             "group_left", "group_right", "inf", "nan"}


def promql_usage(expr: str) -> tuple[set[str], set[str]]:
    """(metric names, label names) an expression uses."""
    for opening, closing in ("()", "[]", "{}"):
        assert expr.count(opening) == expr.count(closing), f"unbalanced {opening}: {expr}"
    text = _STRING.sub('""', expr)
    labels: set[str] = set()
    for body in _MATCHERS.findall(text):
        for matcher in filter(None, (m.strip() for m in body.split(","))):
            name = re.match(r"([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*\"\"$", matcher)
            assert name, f"not a label matcher: {matcher!r} in {expr}"
            labels.add(name.group(1))
    text = _MATCHERS.sub(" ", text)
    for _, body in _GROUPING.findall(text):
        labels |= {label.strip() for label in body.split(",") if label.strip()}
    text = _GROUPING.sub(" ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    names = set()
    for match in _IDENTIFIER.finditer(text):
        if text[match.end():].lstrip().startswith("("):
            continue  # a function
        if match.group(0).lower() not in _KEYWORDS:
            names.add(match.group(0))
    return names, labels


def test_the_promql_reader_finds_names_and_labels() -> None:
    names, labels = promql_usage(
        'histogram_quantile(0.99, sum by (service, le) (rate(a_bucket{tenant=~"$t", '
        'status!="5.."}[5m]))) / on (service) b_total > 0.02')
    assert names == {"a_bucket", "b_total"}
    assert labels == {"service", "le", "tenant", "status"}
    with pytest.raises(AssertionError):
        promql_usage("sum(rate(x[5m])")


@cache
def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def dashboard_exprs() -> list[str]:
    return [target["expr"] for panel in dashboard()["panels"]
            for target in panel.get("targets", [])]


def variable_exprs() -> list[str]:
    found = []
    for variable in dashboard()["templating"]["list"]:
        if variable["type"] == "query":
            inner = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", variable["definition"])
            assert inner, variable["definition"]
            found.append(inner.group(1))
    return found


@cache
def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def _check_uses(expr: str, exported: dict[str, set[str]], where: str) -> None:
    names, labels = promql_usage(expr)
    assert names, f"{where}: no metric in {expr}"
    for name in names:
        if name in SCRAPE_SERIES:
            known = set()
        else:
            assert name in exported, f"{where}: {name} is not exported by any process"
            known = exported[name]
        unknown = labels - known - TARGET_LABELS - ({"le"} if name.endswith("_bucket")
                                                    else set())
        # A label may belong to another metric of the same expression.
        unknown -= {label for other in names if other != name
                    for label in exported.get(other, set())}
        assert not unknown, f"{where}: {name} has no label {sorted(unknown)}"


def test_the_dashboard_uses_only_exported_metrics_and_labels(
    exported: dict[str, set[str]],
) -> None:
    exprs = dashboard_exprs()
    assert len(exprs) >= 10
    for expr in exprs + variable_exprs():
        _check_uses(expr, exported, "dashboard")
    used = set().union(*(promql_usage(e)[0] for e in exprs))
    # What issue #9 asks the dashboard to show.
    assert {"kyodo_http_requests_total", "kyodo_http_request_duration_seconds_bucket",
            "kyodo_outbox_backlog", "kyodo_outbox_oldest_unpublished_age_seconds",
            "kyodo_consumer_lag", "kyodo_consumer_dead_letters_total"} <= used
    # Per municipality from its own counters (issue #22: no tenant on the histograms).
    assert {"kyodo_http_tenant_requests_total", "kyodo_http_tenant_slow_requests_total"} <= used


def test_the_dashboard_is_well_formed() -> None:
    board = dashboard()
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    defined = {v["name"] for v in board["templating"]["list"]} | {"__all", "__rate_interval"}
    text = DASHBOARD.read_text()
    used = set(re.findall(r"\$\{?(\w+)", text))
    assert used <= defined, f"undefined variables {sorted(used - defined)}"
    for panel in board["panels"]:
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        assert panel["targets"], panel["title"]
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"])
        assert len({t["refId"] for t in panel["targets"]}) == len(panel["targets"])


def test_the_alerts_use_only_exported_metrics_and_labels(
    exported: dict[str, set[str]],
) -> None:
    for rule in alert_rules():
        _check_uses(rule["expr"], exported, rule["alert"])


def _anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors."""
    anchors = set()
    for heading in re.findall(r"^#+\s+(.+)$", markdown, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def test_every_alert_is_complete_and_points_to_its_runbook_section() -> None:
    rules = alert_rules()
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names))
    anchors = _anchors(RUNBOOK.read_text())
    covered = set()
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["labels"]["severity"] in SEVERITIES, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        if "for" in rule:
            assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
        path, _, anchor = rule["annotations"]["runbook"].partition("#")
        assert path == "docs/operations.md" and anchor in anchors, rule["alert"]
        covered |= promql_usage(rule["expr"])[0]
    # What issue #9 asks to alert on: outbox age, consumer lag, dead letters, 5xx rate.
    assert {"kyodo_outbox_oldest_unpublished_age_seconds", "kyodo_consumer_lag",
            "kyodo_consumer_dead_letters_total", "kyodo_http_requests_total"} <= covered


def test_prometheus_loads_the_alert_rules() -> None:
    for name in ("prometheus.yml", "kubernetes.yml"):
        config = yaml.safe_load((ROOT / "deploy/prometheus" / name).read_text())
        assert config["rule_files"] == ["alerts.yml"], name
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert ("./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro"
            in compose["services"]["prometheus"]["volumes"])


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["promtool", *args], capture_output=True, text=True, timeout=60,
                          check=False, cwd=ROOT / "deploy/prometheus")


@pytest.mark.skipif(shutil.which("promtool") is None, reason="no promtool on PATH")
def test_promtool_accepts_the_rules_and_the_compose_configuration() -> None:
    for args in (("check", "rules", "alerts.yml"), ("check", "config", "prometheus.yml"),
                 ("test", "rules", "alerts_test.yml")):
        result = _promtool(*args)
        assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------------------------
# docs/operations.md: every command and endpoint exists.
# --------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^([ \t]*)```(\w*)\n(.*?)^\1```", re.M | re.S)
_HTTP_LINE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|HEAD) (/\S*)")


def runbook_blocks() -> list[tuple[str, str]]:
    return [(lang, body) for _, lang, body in _FENCE.findall(RUNBOOK.read_text())]


def runbook_commands() -> list[list[str]]:
    """Every `kyodo …` line of a console block, and every inline `kyodo …` span."""
    found = []
    for lang, body in runbook_blocks():
        if lang == "console":
            found += [shlex.split(line) for line in body.splitlines()
                      if line.strip().startswith("kyodo ")]
    inline = re.findall(r"(?<!`)`(kyodo [^`]+)`", _FENCE.sub("", RUNBOOK.read_text()))
    found += [shlex.split(span) for span in inline]
    # Not the placeholders of the prose ("every `kyodo …` command", `kyodo <command>`).
    return [words for words in found if words[1] != "…" and not words[1].startswith("<")]


def runbook_endpoints() -> set[tuple[str, str]]:
    found = set()
    for lang, body in runbook_blocks():
        if lang == "http":
            found |= {m.groups() for line in body.splitlines()
                      if (m := _HTTP_LINE.match(line.strip()))}
    for span in re.findall(r"`((?:GET|POST|PUT|PATCH|DELETE) /[^`]*)`",
                           _FENCE.sub("", RUNBOOK.read_text())):
        method, path = span.split()[:2]
        found.add((method, path))
    return found


def _resolve(command: list[str]) -> tuple[list[str], Any, list[str]]:
    """(the subcommand path, its click command, the rest of the words). Typer ships its
    own copy of click, hence groups are told by their `commands`."""
    from kyodo_launcher.cli import app

    assert command[0] == "kyodo"
    node: Any = typer.main.get_command(app)
    path: list[str] = []
    rest = command[1:]
    while hasattr(node, "commands") and rest and not rest[0].startswith(("-", "<")):
        sub = node.commands.get(rest[0])
        assert sub is not None, f"`kyodo {' '.join(path + rest[:1])}` does not exist"
        node, path, rest = sub, [*path, rest[0]], rest[1:]
    assert not hasattr(node, "commands"), f"`kyodo {' '.join(path)}` needs a subcommand"
    return path, node, rest


def test_the_runbook_names_the_operations_it_promises() -> None:
    commands = {" ".join(_resolve(c)[0]) for c in runbook_commands()}
    assert {"trace", "events redrive", "events replay", "migrate", "status", "logs"} <= commands
    endpoints = runbook_endpoints()
    assert ("POST", "/v1/auth/keys/rotate") in endpoints
    assert ("POST", "/v1/platform/municipalities") in endpoints


def test_every_kyodo_command_in_the_runbook_exists_with_its_options() -> None:
    from kyodo_launcher.catalogue import SERVICES, all_topics
    from kyodo_launcher.cli import app

    runner = CliRunner()
    for command in runbook_commands():
        path, node, rest = _resolve(command)
        known = {opt for param in node.params for opt in (*param.opts, *param.secondary_opts)}
        for word in rest:
            if word.startswith("-"):
                assert word.split("=")[0] in known, f"`{' '.join(command)}`: no option {word}"
        options = dict(itertools.pairwise(rest))
        if "--topic" in options:
            assert options["--topic"] in all_topics(), f"no topic {options['--topic']}"
        if "--service" in options:
            assert options["--service"] in {s.name for s in SERVICES}
        helped = runner.invoke(app, [*path, "--help"])
        assert helped.exit_code == 0, f"kyodo {' '.join(path)} --help: {helped.output}"


def _segments(path: str) -> list[str]:
    return ["{}" if part.startswith("{") else part for part in path.strip("/").split("/")]


@cache
def service_routes() -> dict[str, list[tuple[str, str, bool]]]:
    """Per service: (method, path template, in the OpenAPI document) of its endpoints: the
    OpenAPI document's, and the app's own routes outside it (/metrics, /health/*)."""
    import importlib

    from fastapi.routing import APIRoute

    from kyodo_launcher.catalogue import SERVICES

    routes: dict[str, list[tuple[str, str, bool]]] = {}
    for spec in SERVICES:
        app = importlib.import_module(f"{spec.package}.main").create_app()
        routes[spec.name] = [(method.upper(), path, True)
                             for path, operations in app.openapi()["paths"].items()
                             for method in operations]
        routes[spec.name] += [(method, route.path, False) for route in app.routes
                              if isinstance(route, APIRoute) and not route.include_in_schema
                              for method in route.methods]
    return routes


def _service_of(path: str) -> set[str]:
    parts = path.strip("/").split("/")
    if parts[:2] == ["v1", "municipalities"] and len(parts) >= 4:
        return {parts[3]}
    if parts[:2] in (["v1", "auth"], ["v1", "platform"]):
        return {"identity"}
    return set(service_routes())  # /metrics and the like: every service


def test_every_endpoint_in_the_runbook_exists() -> None:
    endpoints = runbook_endpoints()
    assert endpoints
    for method, path in endpoints:
        for service in _service_of(path):
            matches = [documented for m, template, documented in service_routes()[service]
                       if m == method and _segments(template) == _segments(path)]
            assert matches, f"{service} has no {method} {path}"
            # Public endpoints are in the service's OpenAPI document; /metrics is not, on
            # purpose (it is not part of the API).
            assert matches[0] or path == "/metrics", f"{method} {path} is not in the OpenAPI"
