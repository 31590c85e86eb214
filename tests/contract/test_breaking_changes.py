"""The breaking-change detector on crafted before/after documents: what breaks a client (or a
consumer, or a replay of old events) is reported with its JSON path; what does not, is not."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kyodo_launcher.contracts.breaking import (
    BreakingChange,
    openapi_breaking_changes,
    schema_breaking_changes,
)


def _api() -> dict[str, Any]:
    """A small API in FastAPI's shape: a resource read by id and created by POST."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v1/residents/{resident_id}": {
                "get": {
                    "parameters": [
                        {"name": "resident_id", "in": "path", "required": True,
                         "schema": {"type": "string", "format": "uuid"}},
                        {"name": "as_of", "in": "query", "required": False,
                         "schema": {"anyOf": [{"type": "string", "format": "date"},
                                              {"type": "null"}]}},
                    ],
                    "responses": {"200": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Resident"}}}}},
                },
            },
            "/v1/residents": {
                "post": {
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/NewResident"}}}},
                    "responses": {"201": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Resident"}}}}},
                },
            },
        },
        "components": {"schemas": {
            "Resident": {
                "type": "object",
                "properties": {
                    "resident_id": {"type": "string", "format": "uuid"},
                    "name": {"type": "string"},
                    "status": {"type": "string", "enum": ["resident", "moved_out"]},
                    "household": {"anyOf": [{"$ref": "#/components/schemas/Household"},
                                            {"type": "null"}]},
                },
                "required": ["resident_id", "name", "status", "household"],
            },
            "Household": {
                "type": "object",
                "properties": {"household_id": {"type": "string", "format": "uuid"},
                               "members": {"type": "array", "items": {
                                   "$ref": "#/components/schemas/Resident"}}},
                "required": ["household_id", "members"],
            },
            "NewResident": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "sex": {"type": "string", "enum": ["male", "female", "unknown"]},
                    "age": {"type": "integer"},
                    "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                },
                "required": ["name", "sex"],
            },
        }},
    }


RESIDENT = "$.paths[\"/v1/residents/{resident_id}\"].get.responses[\"200\"]" \
           ".content[\"application/json\"].schema"
CREATED = "$.paths[\"/v1/residents\"].post.responses[\"201\"]" \
          ".content[\"application/json\"].schema"
NEW_RESIDENT = "$.paths[\"/v1/residents\"].post.requestBody.content[\"application/json\"]" \
               ".schema"


def _changed(edit: Any) -> list[BreakingChange]:
    before = _api()
    after = copy.deepcopy(before)
    edit(after)
    return openapi_breaking_changes(before, after)


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def test_the_same_document_has_no_breaking_change() -> None:
    assert openapi_breaking_changes(_api(), _api()) == []


def test_a_removed_path_is_breaking() -> None:
    changes = _changed(lambda d: d["paths"].pop("/v1/residents"))
    assert changes == [BreakingChange('$.paths["/v1/residents"]', "path removed")]


def test_a_removed_operation_is_breaking() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["paths"]["/v1/residents"]["put"] = d["paths"]["/v1/residents"].pop("post")

    assert _changed(edit) == [BreakingChange('$.paths["/v1/residents"].post',
                                             "operation removed")]


def test_a_removed_response_field_is_breaking_at_its_path() -> None:
    changes = _changed(lambda d: _schemas(d)["Resident"]["properties"].pop("name"))
    assert BreakingChange(f"{RESIDENT}.name", "field removed") in changes


def test_a_removed_field_deep_in_a_nullable_reference_is_found() -> None:
    changes = _changed(lambda d: _schemas(d)["Household"]["properties"].pop("household_id"))
    assert BreakingChange(f"{RESIDENT}.household.household_id", "field removed") in changes


def test_a_response_field_that_may_now_be_absent_is_breaking() -> None:
    changes = _changed(lambda d: _schemas(d)["Resident"]["required"].remove("name"))
    assert [str(c) for c in changes if c.path == f"{RESIDENT}.name"] == [
        f"{RESIDENT}.name: field no longer required: it may now be absent"]


def test_a_newly_required_request_field_is_breaking() -> None:
    changes = _changed(lambda d: _schemas(d)["NewResident"]["required"].append("age"))
    assert changes == [BreakingChange(f"{NEW_RESIDENT}.age", "field newly required")]


def test_a_new_required_request_field_is_breaking_and_a_new_optional_one_is_not() -> None:
    def optional(d: dict[str, Any]) -> None:
        _schemas(d)["NewResident"]["properties"]["kana"] = {"type": "string"}

    def required(d: dict[str, Any]) -> None:
        optional(d)
        _schemas(d)["NewResident"]["required"].append("kana")

    assert _changed(optional) == []
    assert _changed(required) == [BreakingChange(f"{NEW_RESIDENT}.kana",
                                                 "field newly required")]


def test_a_narrowed_request_type_is_breaking() -> None:
    def edit(d: dict[str, Any]) -> None:
        _schemas(d)["NewResident"]["properties"]["note"] = {"type": "string"}

    assert _changed(edit) == [BreakingChange(
        f"{NEW_RESIDENT}.note", "type narrowed from string | null to string")]


def test_a_widened_request_type_is_not_breaking() -> None:
    def edit(d: dict[str, Any]) -> None:
        _schemas(d)["NewResident"]["properties"]["age"] = {"type": "number"}

    assert _changed(edit) == []


def test_a_narrowed_request_enum_is_breaking_and_a_widened_one_is_not() -> None:
    def narrowed(d: dict[str, Any]) -> None:
        _schemas(d)["NewResident"]["properties"]["sex"]["enum"] = ["male", "female"]

    def widened(d: dict[str, Any]) -> None:
        _schemas(d)["NewResident"]["properties"]["sex"]["enum"].append("other")

    assert _changed(narrowed) == [BreakingChange(
        f"{NEW_RESIDENT}.sex", "enum narrowed: 'unknown' no longer accepted")]
    assert _changed(widened) == []


def test_a_new_response_enum_value_is_breaking() -> None:
    changes = _changed(
        lambda d: _schemas(d)["Resident"]["properties"]["status"]["enum"].append("dead"))
    assert changes == [BreakingChange(f"{RESIDENT}.status",
                                      "enum widened: 'dead' may now be sent"),
                       BreakingChange(f"{CREATED}.status",
                                      "enum widened: 'dead' may now be sent")]


def test_a_response_type_change_is_breaking() -> None:
    def edit(d: dict[str, Any]) -> None:
        _schemas(d)["Resident"]["properties"]["resident_id"] = {"type": "integer"}

    changes = _changed(edit)
    assert BreakingChange(f"{RESIDENT}.resident_id",
                          "type changed from string(uuid) to integer") in changes


def test_a_removed_request_field_is_breaking_only_when_extra_fields_are_refused() -> None:
    def removed(d: dict[str, Any]) -> None:
        _schemas(d)["NewResident"]["properties"].pop("age")

    def removed_and_tolerated(d: dict[str, Any]) -> None:
        removed(d)
        _schemas(d)["NewResident"].pop("additionalProperties")

    assert _changed(removed) == [BreakingChange(
        f"{NEW_RESIDENT}.age", "field removed and now refused (additionalProperties: false)")]
    assert _changed(removed_and_tolerated) == []


def test_a_newly_required_parameter_is_breaking() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["paths"]["/v1/residents/{resident_id}"]["get"]["parameters"][1]["required"] = True

    assert _changed(edit) == [BreakingChange(
        '$.paths["/v1/residents/{resident_id}"].get.parameters["query:as_of"]',
        "parameter newly required")]


def test_a_removed_success_response_is_breaking() -> None:
    def edit(d: dict[str, Any]) -> None:
        responses = d["paths"]["/v1/residents"]["post"]["responses"]
        responses["200"] = responses.pop("201")

    assert _changed(edit) == [BreakingChange(
        '$.paths["/v1/residents"].post.responses["201"]', "success response removed")]


def test_additions_are_not_breaking() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["paths"]["/v1/households"] = {"get": {"responses": {"200": {}}}}
        _schemas(d)["Resident"]["properties"]["kana"] = {"type": "string"}
        _schemas(d)["Resident"]["required"].append("kana")
        d["paths"]["/v1/residents/{resident_id}"]["get"]["parameters"].append(
            {"name": "fields", "in": "query", "schema": {"type": "string"}})

    assert _changed(edit) == []


def test_recursive_schemas_are_compared_once() -> None:
    """Resident → Household → members: Resident; the comparison ends (at the second Resident
    on the path), and a change inside the cycle is still found."""
    def edit(d: dict[str, Any]) -> None:
        _schemas(d)["Household"]["properties"]["members"]["items"] = {"type": "string"}

    changes = _changed(edit)
    assert any(c.path == f"{RESIDENT}.household.members[*]" and "type changed" in c.reason
               for c in changes)


def test_a_changed_component_is_reported_in_every_operation_that_uses_it() -> None:
    changes = _changed(lambda d: _schemas(d)["Resident"]["properties"].pop("name"))
    assert changes == [BreakingChange(f"{RESIDENT}.name", "field removed"),
                       BreakingChange(f"{CREATED}.name", "field removed")]


def test_a_recursion_through_nullable_references_ends() -> None:
    node = {"type": "object", "properties": {
        "name": {"type": "string"},
        "parent": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]}},
        "required": ["name", "parent"]}
    before = {"$defs": {"Node": node}, "$ref": "#/$defs/Node"}
    after = copy.deepcopy(before)
    after["$defs"]["Node"]["properties"]["name"] = {"type": "integer"}
    assert [str(c) for c in schema_breaking_changes(before, after, "response")] == [
        "$.name: type changed from string to integer"]


# -- event schemas: read by consumers and, on replay, by the event type itself ---------------

EVENT: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "resident_id": {"type": "string", "format": "uuid"},
        "effective_date": {"type": "string", "format": "date"},
        "reason": {"type": "string"},
        "late_filing": {"type": "boolean", "default": False},
        "residents": {"type": "array", "items": {"$ref": "#/$defs/ResidentState"}},
    },
    "required": ["resident_id", "effective_date", "reason", "residents"],
    "$defs": {"ResidentState": {
        "type": "object",
        "properties": {"address": {"type": "string"},
                       "birth_date": {"anyOf": [{"type": "string", "format": "date"},
                                                {"type": "null"}]}},
        "required": ["address", "birth_date"],
    }},
}


def _event_changed(edit: Any) -> list[str]:
    after = copy.deepcopy(EVENT)
    edit(after)
    return [str(c) for c in schema_breaking_changes(EVENT, after, "event")]


def test_an_event_with_a_removed_field_breaks_its_consumers() -> None:
    assert _event_changed(lambda e: (e["properties"].pop("reason"),
                                     e["required"].remove("reason"))) == [
        "$.reason: field removed"]


def test_a_removed_field_of_a_nested_event_model_is_found() -> None:
    def edit(e: dict[str, Any]) -> None:
        e["$defs"]["ResidentState"]["properties"].pop("address")
        e["$defs"]["ResidentState"]["required"].remove("address")

    assert _event_changed(edit) == ["$.residents[*].address: field removed"]


def test_an_event_field_newly_required_breaks_the_replay_of_old_events() -> None:
    def edit(e: dict[str, Any]) -> None:
        e["properties"]["moved_from"] = {"type": "string"}
        e["required"].append("moved_from")

    assert _event_changed(edit) == ["$.moved_from: field newly required"]


def test_an_event_field_with_a_default_is_a_compatible_addition() -> None:
    def edit(e: dict[str, Any]) -> None:
        e["properties"]["moved_from"] = {"type": "string", "default": ""}

    assert _event_changed(edit) == []


@pytest.mark.parametrize(("new", "reason"), [
    ({"type": ["string", "null"]}, "type changed from date | null to string | null"),  # wider
    ({"type": "string", "format": "date"}, "type narrowed from date | null to date"),
])
def test_any_type_change_of_an_event_field_is_breaking(new: dict[str, Any], reason: str
                                                        ) -> None:
    def edit(e: dict[str, Any]) -> None:
        e["$defs"]["ResidentState"]["properties"]["birth_date"] = new

    changes = _event_changed(edit)
    assert len(changes) == 1
    assert changes[0].startswith("$.residents[*].birth_date: type")
    assert changes[0].replace("string(date)", "date") == f"$.residents[*].birth_date: {reason}"
