"""The national benchmark's generated data is what it claims: Japan's 1,741 municipalities with
valid codes and the country's shape, and access-log rows whose chain the platform verifies."""

from __future__ import annotations

from collections import Counter

from bench._municipalities import DEMO, municipalities, shares
from bench._national_seed import ACCESS_LOG_COLUMNS, access_rows, grantee_of
from kyodo_common.audit import GENESIS, entry_hash
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_identity.domain.demo import DEMO_MUNICIPALITIES


def test_all_municipalities_have_unique_valid_codes_and_japans_shape() -> None:
    items = municipalities()
    assert len(items) == 1741
    assert len({m.code for m in items}) == 1741
    assert all(is_valid_municipality_code(m.code) for m in items)
    assert len({m.prefecture for m in items}) == 47
    kinds = Counter(m.kind for m in items)
    assert kinds["ward"] == 23
    assert abs(kinds["city"] - 792) <= 5 and abs(kinds["village"] - 183) <= 5
    total = sum(m.population for m in items)
    assert 125_000_000 < total < 127_000_000
    populations = sorted(m.population for m in items)
    assert populations[0] >= 150 and populations[-1] > 2_000_000
    assert 10_000 < populations[len(populations) // 2] < 40_000  # the real median: ~24,000


def test_the_demo_towns_keep_their_codes_and_names() -> None:
    by_code = {m.code: m for m in municipalities()}
    for demo in DEMO_MUNICIPALITIES:
        assert by_code[demo.code].name == demo.name
        assert by_code[demo.code].prefecture == demo.prefecture
    assert set(DEMO) == {d.code for d in DEMO_MUNICIPALITIES}


def test_shares_follow_population_and_leave_no_town_empty() -> None:
    plan = shares(10_000_000, municipalities())
    assert abs(sum(n for _, n in plan) - 10_000_000) < 2_000
    assert min(n for _, n in plan) >= 1
    largest = max(plan, key=lambda p: p[0].population)
    assert largest[1] == max(n for _, n in plan)


def test_each_municipality_lends_to_its_prefectures_largest() -> None:
    items = municipalities()
    grantee = grantee_of(items)
    by_code = {m.code: m for m in items}
    for grantor, lender in grantee.items():
        assert by_code[grantor].prefecture == by_code[lender].prefecture
    assert len(set(grantee.values())) == 47


def test_seeded_access_log_rows_verify_as_the_platforms_chain() -> None:
    rows = [row for chunk in access_rows([("152021", 5), ("152111", 3)], 100, seed=1,
                                         chunk_size=4) for row in chunk]
    assert [r[0] for r in rows] == list(range(100, 108))
    for code in ("152021", "152111"):
        prev = GENESIS
        mine = [dict(zip(ACCESS_LOG_COLUMNS, r, strict=True)) for r in rows if r[1] == code]
        assert [r["seq"] for r in mine] == list(range(1, len(mine) + 1))
        for row in mine:
            assert row["prev_hash"] == prev
            assert entry_hash(prev, {**row, "terminal": None}) == row["hash"]
            prev = row["hash"]


def test_generated_register_history_is_what_the_service_writes() -> None:
    """bench/_register_data writes ResidentState as text for speed: it must keep up with the
    model (a field added to ResidentState made every bench load fail)."""
    from bench._register_data import Chunk, Generator, Serials, check_states

    generator = Generator("152021", seed=1, residents=Serials(0), households=Serials(0))
    chunk = Chunk()
    while len(chunk.resident_history) < 400:
        generator.household(chunk)
    check_states(chunk)
