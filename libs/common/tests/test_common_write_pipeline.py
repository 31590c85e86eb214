"""The write pipeline against fakes: claim, handler, access log, stored answer, replay."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    Problem,
    RuleBroken,
)
from kyodo_common.testing import FakeUnitOfWork, MemoryKeys
from kyodo_common.web import problem_of
from kyodo_common.write_pipeline import Access, Command, Outcome, WritePipeline

CODE = "011002"


def _acting(subject: str = "clerk-1", grant_id: str | None = None) -> Acting:
    principal = Principal(subject=subject, home_municipality=CODE, kind="staff",
                          roles=frozenset(), scopes=frozenset(), expires_at=0.0, token_id="t")
    return Acting(principal=principal, municipality=CODE, scopes=frozenset(),
                  grant_id=grant_id, expires_at=0.0)


@dataclass(frozen=True)
class Register(Command):
    name: str


class Fixture:
    def __init__(self) -> None:
        self.uows: list[FakeUnitOfWork] = []
        self.keys = MemoryKeys()
        self.calls = 0
        self.pipeline = WritePipeline(None, source="kyodo/test", unit_of_work=self._uow,
                                      keys=self.keys)

    def _uow(self, code: str) -> Any:
        uow = FakeUnitOfWork(code)
        self.uows.append(uow)
        return uow

    async def handler(self, command: Register, uow: Any) -> Outcome:
        self.calls += 1
        if command.name == "refused":
            raise Conflict("already there")
        return Outcome({"id": "r1", "name": command.name}, result="created",
                       accesses=[Access("職権記載", "resident", ["r1"], ["register"])],
                       location=f"/v1/municipalities/{CODE}/residents/r1", version=1)


async def test_a_created_answer_carries_its_location_and_etag_and_logs_the_access() -> None:
    f = Fixture()
    response = await f.pipeline.run(Register("a"), f.handler, acting=_acting(grant_id="g1"),
                                     key="k1", fingerprint=("register", {"name": "a"}))
    assert response.status_code == 201
    assert response.headers["location"] == f"/v1/municipalities/{CODE}/residents/r1"
    assert response.headers["etag"] == 'W/"1"'
    [entry] = f.uows[0].committed_rows("access_log")
    assert (entry["action"], entry["subject_id"], entry["fields"], entry["grant_id"]) == (
        "職権記載", "r1", ["register"], "g1")


async def test_a_repeat_gets_the_first_answer_with_its_headers_and_runs_nothing() -> None:
    f = Fixture()
    first = await f.pipeline.run(Register("a"), f.handler, acting=_acting(), key="k1",
                                 fingerprint=("register", {"name": "a"}))
    again = await f.pipeline.run(Register("a"), f.handler, acting=_acting(), key="k1",
                                 fingerprint=("register", {"name": "a"}))
    assert f.calls == 1
    assert again.status_code == first.status_code == 201
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert json.loads(again.body) == json.loads(first.body)
    assert f.uows[1].committed == []  # the repeat committed nothing


async def test_the_same_key_with_another_request_is_refused() -> None:
    f = Fixture()
    await f.pipeline.run(Register("a"), f.handler, acting=_acting(), key="k1",
                         fingerprint=("register", {"name": "a"}))
    with pytest.raises(Problem) as refused:
        await f.pipeline.run(Register("b"), f.handler, acting=_acting(), key="k1",
                             fingerprint=("register", {"name": "b"}))
    assert refused.value.kind == "idempotency-key-reused"


async def test_another_callers_same_key_is_their_own_request() -> None:
    f = Fixture()
    await f.pipeline.run(Register("a"), f.handler, acting=_acting("clerk-1"), key="k1",
                         fingerprint=("register", {"name": "a"}))
    await f.pipeline.run(Register("a"), f.handler, acting=_acting("clerk-2"), key="k1",
                         fingerprint=("register", {"name": "a"}))
    assert f.calls == 2


async def test_a_refused_command_commits_nothing_and_its_key_stays_free() -> None:
    f = Fixture()
    with pytest.raises(Conflict):
        await f.pipeline.run(Register("refused"), f.handler, acting=_acting(), key="k1",
                             fingerprint=("register", {"name": "refused"}))
    assert f.uows[0].committed == [] and f.uows[0].committed_events == []
    response = await f.pipeline.run(Register("a"), f.handler, acting=_acting(), key="k1",
                                    fingerprint=("register", {"name": "refused"}))
    assert response.status_code == 201


async def test_a_post_without_a_key_is_refused_before_anything_runs() -> None:
    f = Fixture()
    with pytest.raises(Problem) as refused:
        await f.pipeline.run(Register("a"), f.handler, acting=_acting(), key=None,
                             fingerprint=("register", {"name": "a"}))
    assert refused.value.status == 400 and f.uows == []


@pytest.mark.parametrize(("error", "status", "kind"), [
    (NotFound("resident"), 404, "not-found"),
    (Conflict("taken"), 409, "conflict"),
    (InvalidInput("postal_code", "7 digits"), 422, "invalid-input"),
    (RuleBroken("no head", title="Household without a head", kind="household-head"), 422,
     "household-head"),
    (Forbidden("needs a scope"), 403, "forbidden"),
    (PreconditionRequired("If-Match"), 428, "precondition-required"),
    (PreconditionFailed("changed"), 412, "precondition-failed"),
])
def test_only_the_web_layer_gives_a_domain_error_its_status(error: DomainError, status: int,
                                                            kind: str) -> None:
    assert not hasattr(error, "status")
    problem = problem_of(error)
    assert (problem.status, problem.kind) == (status, kind)
    assert problem.body()["invalid_params"] == error.invalid_params if error.invalid_params \
        else "invalid_params" not in problem.body()
