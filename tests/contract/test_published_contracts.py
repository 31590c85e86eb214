"""The committed contracts (contracts/openapi, contracts/events, contracts/asyncapi) are what
the code generates: a change to an API or an event must be made deliberately, with
`make contracts`, and a breaking one is named with its JSON path."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kyodo_certificates_events as certificates_events
import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi

from kyodo_launcher.catalogue import SERVICES
from kyodo_launcher.contracts import schemas
from kyodo_launcher.contracts.documents import render, render_events
from kyodo_launcher.contracts.export import CONTRACTS, breaking_changes, committed, export

from .event_models import changed

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / CONTRACTS
SERVICE_NAMES = [spec.name for spec in SERVICES]
# A value the schema cannot say: tenant_config's origin validator wants a URL.
EXAMPLES = {"config.cors_origins[]": "https://example.jp",
            "config.income_levy_rates.municipal": "0.06",
            "config.income_levy_rates.prefectural": "0.04"}


@cache
def asyncapi_validator() -> jsonschema.Draft7Validator:
    """The official AsyncAPI 3.0.0 schema (vendored: tests/contract/schemas/README.md)."""
    schema = json.loads((Path(__file__).parent / "schemas/asyncapi-3.0.0.json").read_text())
    return jsonschema.Draft7Validator(schema)


@cache
def generated() -> Mapping[str, str]:
    return render()


@cache
def on_disk() -> Mapping[str, str]:
    return committed(DIRECTORY)


def _difference(path: str, before: str | None, after: str | None) -> str:
    changes = breaking_changes({path: before} if before else {}, {path: after} if after else {})
    lines = [f"contracts/{path} differs from what the code generates."]
    if changes.get(path):
        lines.append("BREAKING (a new event type version or API version is needed):")
        lines += [f"  {change}" for change in changes[path]]
    diff = list(difflib.unified_diff((before or "").splitlines(), (after or "").splitlines(),
                                     f"committed/{path}", f"generated/{path}", lineterm="",
                                     n=2))
    lines += diff[:80] + ([f"… {len(diff) - 80} more lines"] if len(diff) > 80 else [])
    lines.append("If the change is deliberate: `make contracts` and commit (docs/contracts.md).")
    return "\n".join(lines)


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_committed_documents_match_the_code(service: str) -> None:
    mine = sorted(p for p in generated().keys() | on_disk().keys()
                  if p == f"openapi/{service}.json" or p == f"asyncapi/{service}.yaml"
                  or p.startswith(f"events/{service}/"))
    assert f"openapi/{service}.json" in mine
    problems = [_difference(p, on_disk().get(p), generated().get(p)) for p in mine
                if on_disk().get(p) != generated().get(p)]
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def test_no_committed_document_without_a_service() -> None:
    orphans = sorted(on_disk().keys() - generated().keys())
    assert not orphans, f"committed but no longer generated: {orphans}"


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_openapi_documents_are_valid(service: str) -> None:
    document = json.loads(on_disk()[f"openapi/{service}.json"])
    validate_openapi(document)
    assert document["paths"], "a service API without paths"


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [node["$ref"]] if isinstance(node.get("$ref"), str) else [
            r for v in node.values() for r in _refs(v)]
    return [r for v in node for r in _refs(v)] if isinstance(node, list) else []


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_asyncapi_documents_are_valid_and_name_every_event(service: str) -> None:
    document = yaml.safe_load(on_disk()[f"asyncapi/{service}.yaml"])
    errors = [f"{e.json_path}: {e.message[:200]}"
              for e in asyncapi_validator().iter_errors(document)]
    assert not errors, errors
    for ref in _refs(document):  # every reference resolves inside the document
        assert schemas.resolve(document, {"$ref": ref}) is not None, ref
    spec = next(s for s in SERVICES if s.name == service)
    addresses = {c["address"] for c in document["channels"].values()}
    assert addresses == set(spec.topics())
    messages = document["components"]["messages"]
    event_files = {p.rsplit("/", 1)[1].removesuffix(".json")
                   for p in on_disk() if p.startswith(f"events/{service}/")}
    assert set(messages) == event_files
    for name, message in messages.items():
        headers = message["headers"]["allOf"]
        assert headers[1]["properties"]["ce_type"]["const"] == message["name"]
        event_schema = json.loads(on_disk()[f"events/{service}/{name}.json"])
        assert message["name"] == event_schema["x-cloudevents-type"]


def test_the_asyncapi_schema_catches_a_broken_document() -> None:
    document = yaml.safe_load(on_disk()["asyncapi/residents.yaml"])
    channel = next(iter(document["channels"].values()))
    channel["topic"] = channel.pop("address")  # AsyncAPI 2 wording: not valid in 3.0
    document["operations"]["publish-kyodo-residents-v1"]["action"] = "publish"
    errors = list(asyncapi_validator().iter_errors(document))
    assert len(errors) == 2


@pytest.mark.parametrize("path", sorted(p for p in render_events() if p.startswith("events/")))
@pytest.mark.parametrize("fill", ["full", "sparse"])
def test_event_schemas_describe_the_events_the_models_write(path: str, fill: str) -> None:
    """An event built from the schema is accepted by the model, and what the model writes
    (its Kafka value) is valid for the schema."""
    schema = json.loads(on_disk()[path])
    jsonschema.Draft202012Validator.check_schema(schema)
    service, name = path.removeprefix("events/").removesuffix(".json").split("/")
    module = __import__(f"kyodo_{service}_events", fromlist=[name])
    event = getattr(module, name).model_validate(schemas.example(schema, fill, EXAMPLES))
    jsonschema.Draft202012Validator(schema).validate(json.loads(event.model_dump_json()))


def test_removing_an_event_field_is_a_breaking_change_at_its_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certificates_events, "CertificateIssued",
                        changed(certificates_events.CertificateIssued, remove="fee_yen"))
    certificates = [s for s in SERVICES if s.name == "certificates"]
    changes = breaking_changes(on_disk(), render_events(certificates))
    assert [str(c) for c in changes["events/certificates/CertificateIssued.json"]] == [
        "$.fee_yen: field removed"]
    assert "events/certificates/CertificateVoided.json" not in changes


def test_removing_a_response_field_from_a_real_api_is_found_in_every_operation() -> None:
    before = on_disk()["openapi/residents.json"]
    after = json.loads(before)
    del after["components"]["schemas"]["ResidentPublic"]["properties"]["resident_number"]
    found = breaking_changes({"openapi/residents.json": before},
                             {"openapi/residents.json": json.dumps(after)})
    residents = '$.paths["/v1/municipalities/{code}/residents'
    body = '.content["application/json"].schema.resident_number: field removed'
    assert [str(c) for c in found["openapi/residents.json"]] == [
        f'{residents}"].post.responses["201"]{body}',
        f'{residents}/{{resident_id}}"].get.responses["200"]{body}']


def test_export_refuses_a_breaking_change_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kyodo_launcher.contracts.export

    monkeypatch.setattr(kyodo_launcher.contracts.export, "render", lambda *_: dict(generated()))
    shutil.copytree(DIRECTORY, tmp_path / CONTRACTS)
    target = tmp_path / CONTRACTS / "events/tax/TaxAssessed.json"
    schema = json.loads(target.read_text())
    schema["properties"]["legacy_code"] = {"type": "string"}  # the code no longer has it
    target.write_text(json.dumps(schema))
    removed_event = tmp_path / CONTRACTS / "events/tax/TaxRefunded.json"
    removed_event.write_text(json.dumps({"type": "object"}))

    refused = export(tmp_path)
    assert [str(c) for c in refused.breaking["events/tax/TaxAssessed.json"]] == [
        "$.legacy_code: field removed"]
    assert [str(c) for c in refused.breaking["events/tax/TaxRefunded.json"]] == [
        "$: event type removed"]
    assert refused.written == [] and removed_event.exists()

    accepted = export(tmp_path, accept_breaking=True)
    assert accepted.written == ["events/tax/TaxAssessed.json"]
    assert accepted.removed == ["events/tax/TaxRefunded.json"]
    assert committed(tmp_path / CONTRACTS) == generated()


def test_the_kyodo_contracts_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    import kyodo_launcher.contracts.documents
    import kyodo_launcher.contracts.export
    from kyodo_launcher.cli import app

    for module in (kyodo_launcher.contracts.documents, kyodo_launcher.contracts.export):
        monkeypatch.setattr(module, "render", lambda *_: dict(generated()))  # built once
    shutil.copytree(DIRECTORY, tmp_path / CONTRACTS)
    runner = CliRunner()
    checked = runner.invoke(app, ["contracts", "check", "--root", str(tmp_path)])
    assert checked.exit_code == 0, checked.output
    assert "matches the code" in checked.output

    target = tmp_path / CONTRACTS / "events/disaster/DisasterDeclared.json"
    schema = json.loads(target.read_text())
    schema["required"].remove("name")  # the code requires it: a newly required field
    target.write_text(json.dumps(schema))
    checked = runner.invoke(app, ["contracts", "check", "--root", str(tmp_path)])
    assert checked.exit_code == 1
    assert "$.name: field newly required" in checked.output
    assert "differs: contracts/events/disaster/DisasterDeclared.json" in checked.output

    refused = runner.invoke(app, ["contracts", "export", "--root", str(tmp_path)])
    assert refused.exit_code == 1 and "nothing written" in refused.output
    accepted = runner.invoke(app, ["contracts", "export", "--root", str(tmp_path),
                                   "--accept-breaking"])
    assert accepted.exit_code == 0, accepted.output
    assert "wrote contracts/events/disaster/DisasterDeclared.json" in accepted.output
    assert committed(tmp_path / CONTRACTS) == generated()


def test_the_generated_python_client_is_the_contracts() -> None:
    """clients/python is what openapi-python-client makes of the merged contract today: a
    route or field changed without `make contracts` shows here, not in a partner's build."""
    from kyodo_launcher.contracts.client import committed_client, generate, merged_openapi

    fresh = generate(merged_openapi(on_disk()))
    mine = committed_client(DIRECTORY.parent)
    stale = sorted(p for p in fresh.keys() | mine.keys() if fresh.get(p) != mine.get(p))
    assert not stale, f"run `make contracts`: clients/python differs in {stale[:10]}"


def test_every_operation_has_its_own_name_across_the_platform() -> None:
    """A generated client names its functions by operationId: two services' `read` would be
    one function, or a suffix nobody can guess."""
    from kyodo_launcher.contracts.client import merged_openapi

    seen: dict[str, str] = {}
    for path, item in merged_openapi(on_disk())["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            assert seen.setdefault(operation["operationId"], where) == where, \
                f"{operation['operationId']}: {seen[operation['operationId']]} and {where}"
            assert re.fullmatch(r"[a-z][a-z0-9_]*", operation["operationId"]), where
