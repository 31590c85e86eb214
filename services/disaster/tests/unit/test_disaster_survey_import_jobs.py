"""A large field-survey file as a job, on fake stores: refused whole only when no row can be
imported; else queued with the rows refused by themselves, and imported chunk by chunk, each
chunk all or nothing, the next continuing at the cursor after a crash (issue #21)."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, date, datetime

import pytest
from disaster_fakes import CLERK, FakeResidents, FakeStores, Resident

from kyodo_common.errors import RuleBroken
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.field_csv import parse
from kyodo_disaster.domain.kinds import DisasterKind
from kyodo_disaster.domain.rules import load_rules
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.declarations import declare
from kyodo_disaster.service_layer.survey_import_jobs import Step, import_next_chunk, queue_import

RULES = load_rules()
CONTEXT = DisasterContext(rules=RULES, allow_unverified=False)
OCCURRED, TODAY = date(2024, 7, 10), date(2024, 7, 20)
NOW = datetime(2024, 7, 20, 1, 0, tzinfo=UTC)
HEADER = ("survey_ref,postal_code,address,survey_kind,damage_ratio,surveyed_on,"
          "applicant_resident_number,copies\n")
ROWS = 7
CHUNK = 3


def _address(n: int) -> str:
    return f"三条市旭町二丁目{n}番1号"


def _residents() -> FakeResidents:
    return FakeResidents(*(Resident(uuid.uuid4(), f"00000000{n}", _address(n),
                                    household_id=uuid.uuid4(), relationship="世帯主")
                           for n in range(ROWS)))


def _row(n: int, *, ratio: str | None = None, address: str | None = None,
         applicant: bool = False) -> str:
    return (f"J-{n},955-8686,{address or _address(n)},一次調査,{ratio or 20 + n},{TODAY},"
            f"{f'00000000{n}' if applicant else ''},{1 if applicant else ''}")


def _file(*rows: str) -> str:
    return HEADER + "\n".join(rows) + "\n"


async def _declared(stores: FakeStores) -> Disaster:
    return await declare(stores, actor=CLERK, name="令和6年7月豪雨", kind=DisasterKind.FLOOD,
                         occurred_on=OCCURRED, affected_area=["旭町"], opens_on=OCCURRED,
                         closes_on=date(2024, 9, 10), rules=RULES.window, today=TODAY)


async def _queued(stores: FakeStores, text: str) -> uuid.UUID:
    disaster = await _declared(stores)
    rows, errors = parse(text)
    return await queue_import(stores, actor=CLERK, disaster=disaster, text=text, rows=rows,
                              errors=errors, context=CONTEXT, today=TODAY)


def _rows_of(job: object) -> list:  # type: ignore[type-arg]
    return parse(job.content)[0]  # type: ignore[attr-defined]


class _Crash(Exception):
    pass


async def _chunk(stores: FakeStores, import_id: uuid.UUID, *,
                 crash: bool = False) -> tuple[FakeStores, Step]:
    """One unit of work: the chunk runs on a copy that replaces the stores only when it
    commits, as PostgreSQL keeps nothing of a transaction cut short."""
    work = copy.deepcopy(stores)
    step = await import_next_chunk(work, import_id, rows_of=_rows_of, context=CONTEXT,
                                   today=TODAY, chunk_rows=CHUNK, now=NOW)
    if crash:
        raise _Crash
    return work, step


async def _until_finished(stores: FakeStores, import_id: uuid.UUID) -> tuple[FakeStores, int]:
    chunks = 0
    while True:
        stores, step = await _chunk(stores, import_id)
        chunks += 1
        if step.finished:
            return stores, chunks


async def test_a_file_no_row_of_which_can_be_imported_is_refused_whole_and_not_queued() -> None:
    stores = FakeStores(_residents())
    text = _file(_row(1, ratio="12.345"), _row(2, address="長岡市大手通一丁目1番1号"),
                 "J-3,955-8686")
    with pytest.raises(RuleBroken) as refused:
        await _queued(stores, text)
    assert [p["name"] for p in refused.value.invalid_params] == [
        "line 2: damage_ratio", "line 3: address", "line 4: row"]
    assert stores.survey_imports.rows == {}
    assert stores.houses.rows == {} and stores.events[1:] == []


async def test_a_queued_file_keeps_its_own_refusals_and_the_chunks_import_the_rest() -> None:
    stores = FakeStores(_residents())
    rows = [_row(n, applicant=n % 2 == 0) for n in range(ROWS)]
    rows[1] = _row(1, ratio="120")  # refused when the file comes
    rows[5] = _row(5, address=_address(0)).replace("J-5", "J-0")  # the ledger refuses it
    import_id = await _queued(stores, _file(*rows))
    queued = stores.survey_imports.rows[import_id]
    assert (queued.state, queued.total, queued.done, queued.cursor) == ("queued", ROWS, 1, 0)
    assert [(e["line"], e["field"]) for e in queued.errors] == [(3, "damage_ratio")]
    declared = len(stores.events)

    progress = []
    while True:
        stores, step = await _chunk(stores, import_id)
        job = stores.survey_imports.rows[import_id]
        progress.append((job.state, job.done))
        if step.finished:
            break
    assert progress == [("running", 3), ("running", 6), ("finished", 7)]
    job = stores.survey_imports.rows[import_id]
    assert (job.houses_created, job.surveys_recorded, job.applications_created) == (5, 5, 4)
    assert sorted((e["line"], e["field"]) for e in job.errors) == [
        (3, "damage_ratio"), (7, "survey_ref")], "each bad row once, by line and field"
    assert job.content is None, "the file is not kept once imported"
    assert job.started_at == NOW and job.finished_at == NOW
    assert len(stores.houses.rows) == 5 and len(stores.applications.rows) == 4
    assert len(stores.events) - declared == 5, "one assessment event per house"
    actions = [(action, len(ids)) for action, _, ids in stores.access_log.entries]
    assert sorted(actions) == [("application.received", 1), ("application.received", 1),
                               ("application.received", 2), ("house.assessed", 1),
                               ("house.assessed", 2), ("house.assessed", 2)]


async def test_a_chunk_cut_short_leaves_nothing_and_the_next_run_continues_at_the_cursor(
) -> None:
    stores = FakeStores(_residents())
    import_id = await _queued(stores, _file(*(_row(n, applicant=True) for n in range(ROWS))))
    declared = len(stores.events)
    stores, first = await _chunk(stores, import_id)
    assert first == Step(cursor=0, finished=False)
    with pytest.raises(_Crash):
        await _chunk(stores, import_id, crash=True)
    job = stores.survey_imports.rows[import_id]
    assert (job.state, job.cursor, job.done, job.houses_created) == ("running", CHUNK, CHUNK,
                                                                     CHUNK)
    assert len(stores.houses.rows) == CHUNK, "nothing of the crashed chunk"

    stores, chunks = await _until_finished(stores, import_id)
    assert chunks == 2
    job = stores.survey_imports.rows[import_id]
    assert (job.state, job.done, job.houses_created, job.surveys_recorded,
            job.applications_created, job.errors) == ("finished", ROWS, ROWS, ROWS, ROWS, [])
    assert len(stores.houses.rows) == ROWS and len(stores.applications.rows) == ROWS
    assert len(stores.houses.surveys) == ROWS
    assert len(stores.events) - declared == ROWS, "no event twice"


async def test_a_finished_import_is_not_run_again() -> None:
    stores = FakeStores(_residents())
    import_id = await _queued(stores, _file(*(_row(n) for n in range(ROWS))))
    stores, _ = await _until_finished(stores, import_id)
    before = vars(copy.deepcopy(stores.survey_imports.rows[import_id]))
    events = len(stores.events)
    stores, step = await _chunk(stores, import_id)
    assert step == Step(cursor=None, finished=True)
    assert vars(stores.survey_imports.rows[import_id]) == before
    assert len(stores.events) == events
