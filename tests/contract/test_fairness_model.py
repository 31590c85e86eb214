"""bench/fairness.py's arithmetic: every bulk phase stands between two alone phases and is
compared with those two, the ratio is p99 over p99, and the verdict is the worst ratio's."""

from __future__ import annotations

import math

import pytest

from bench import _fairness_model as model

ALONE = model.ALONE


def test_every_bulk_phase_stands_between_two_alone_phases() -> None:
    assert model.plan(("tax", "import")) == [ALONE, "tax", ALONE, "import", ALONE]
    twice = model.plan(("tax", "import"), rounds=2)
    assert twice == [ALONE, "tax", ALONE, "import", ALONE, "tax", ALONE, "import", ALONE]
    for index, name in enumerate(twice):
        if name != ALONE:
            assert model.neighbours(twice, index) == (index - 1, index + 1)


@pytest.mark.parametrize("bulk, rounds", [((), 1), (("tax",), 0), ((ALONE,), 1)])
def test_a_plan_without_bulk_work_is_refused(bulk: tuple[str, ...], rounds: int) -> None:
    with pytest.raises(ValueError):
        model.plan(bulk, rounds)


def test_neighbours_are_refused_for_alone_phases_and_phases_without_both_sides() -> None:
    with pytest.raises(ValueError):
        model.neighbours([ALONE, "tax", ALONE], 0)
    with pytest.raises(ValueError):
        model.neighbours([ALONE, "tax", "import", ALONE], 1)
    with pytest.raises(ValueError):
        model.neighbours(["tax", ALONE], 0)


def test_the_ratio_is_p99_during_over_p99_alone() -> None:
    alone = [float(ms) for ms in range(1, 101)]  # nearest-rank p99 of 1..100: 99
    assert model.ratio([2 * ms for ms in alone], alone) == pytest.approx(2.0)
    assert model.ratio([ms + 19.8 for ms in alone], alone) == pytest.approx(1.2)
    # the slowest 1 % alone does not move p99: 99 of 100 are at 100 ms
    assert model.ratio([100.0] * 99 + [5000.0], [100.0] * 100) == pytest.approx(1.0)
    assert math.isnan(model.ratio([], alone))
    assert math.isnan(model.ratio(alone, []))


def test_each_bulk_phase_is_compared_with_the_alone_phases_around_it_only() -> None:
    phases = model.plan(("tax", "import"))
    # the first alone phase was slow (the machine busy then): it counts for tax, not import
    samples = [[200.0] * 300, [110.0] * 300, [100.0] * 300, [150.0] * 300, [50.0] * 300]
    compared = model.compare(phases, samples)
    tax, imported = compared["phases"]
    assert (tax["phase"], tax["index"], tax["alone_n"]) == ("tax", 1, 600)
    assert tax["alone_p99_ms"] == 200.0  # phases 0 and 2
    assert tax["ratio"] == pytest.approx(0.55)
    assert (imported["phase"], imported["index"]) == ("import", 3)
    assert imported["alone_p99_ms"] == 100.0  # phases 2 and 4, not phase 0
    assert imported["ratio"] == pytest.approx(1.5)
    assert compared["worst_ratio"] == pytest.approx(1.5)
    assert not compared["meets"]
    assert compared["enough_samples"]
    # each kind over all its phases against every alone phase together (p99 200 ms)
    assert compared["alone_p99_ms"] == 200.0
    assert compared["kinds"]["import"]["ratio"] == pytest.approx(0.75)
    assert compared["alone_n"] == 900


def test_the_verdict_is_the_worst_ratio_against_the_target() -> None:
    def phase(ratio: float, n: int = 500) -> dict[str, float]:
        return {"ratio": ratio, "n": n, "alone_n": n}

    assert model.verdict([phase(1.0), phase(model.TARGET_RATIO)])["meets"]
    missed = model.verdict([phase(1.0), phase(1.21)])
    assert not missed["meets"] and missed["worst_ratio"] == pytest.approx(1.21)
    assert not model.verdict([phase(1.0), phase(math.nan)])["meets"]  # a window with nothing
    assert not model.verdict([])["meets"]
    assert not model.verdict([phase(1.0, n=model.ENOUGH_SAMPLES - 1)])["enough_samples"]


def test_the_machine_share_splits_busy_time_between_platform_bench_and_others() -> None:
    share = model.machine_share(busy=120.0, total=200.0, platform=70.0, bench=10.0)
    assert share == pytest.approx({"busy_pct": 60.0, "platform_pct": 35.0, "bench_pct": 5.0,
                                   "others_pct": 20.0})
    # processes' counters and the machine's are read apart: never below zero
    assert model.machine_share(busy=50.0, total=200.0, platform=60.0, bench=0.0)[
        "others_pct"] == 0.0
    assert math.isnan(model.machine_share(0.0, 0.0, 0.0, 0.0)["busy_pct"])
