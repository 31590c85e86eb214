"""bench/capacity.py's arithmetic: the workload's shares, which step is the capacity, and the
conversion of a rate into inhabitants served per core."""

from __future__ import annotations

import math

import pytest

from bench import _capacity_model as model


def test_the_mix_covers_every_kind_and_sums_to_one() -> None:
    shares = model.mix()
    assert set(shares) == set(model.KINDS)
    assert math.isclose(sum(shares.values()), 1.0)
    assert all(share > 0 for share in shares.values())
    # Reads dominate a counter's day; the procedures are a few percent even in March.
    reads = shares["get"] + shares["search"] + shares["household"]
    assert 0.7 < reads < 0.9
    assert 0.02 < shares["move_in"] + shares["relocation"] + shares["move_out"] < 0.06


def test_march_doubles_the_moves_as_the_register_statistics_say() -> None:
    assert 1.9 < model.MARCH_FACTOR < 2.1  # March 2019: 16.8 % of the year's moves
    assert 0.95 < model.WITHIN_RATIO < 1.05
    normal = model.requests_per_inhabitant_year(peak=False)
    march = model.requests_per_inhabitant_year(peak=True)
    assert math.isclose(march["move_in"], normal["move_in"] * model.MARCH_FACTOR)
    assert math.isclose(march["tax_read"], normal["tax_read"])  # not seasonal in March


def test_the_peak_hour_per_inhabitant_follows_from_the_year() -> None:
    yearly = sum(model.requests_per_inhabitant_year().values())
    expected = (yearly / model.COUNTER_DAYS * model.PEAK_DAY_FACTOR / model.COUNTER_HOURS
                * model.PEAK_HOUR_FACTOR / 3600)
    assert math.isclose(model.peak_requests_per_second_per_inhabitant(), expected)
    # about 0.2 requests per second per 100,000 inhabitants
    assert 0.1 < expected * 100_000 < 0.4


def _step(rate: int, p99: float, errors: int = 0, ok: int = 100) -> dict[str, float]:
    return {"rate_per_s": rate, "p99_ms": p99, "errors": errors, "ok": ok}


def test_the_capacity_is_the_highest_step_that_held() -> None:
    steps = [_step(10, 40), _step(20, 60), _step(40, 250), _step(60, 310), _step(80, 900)]
    assert model.capacity_step(steps) == steps[2]
    # an error disqualifies a step however fast it was
    steps = [_step(10, 40), _step(20, 60, errors=1), _step(40, 100, errors=0, ok=0)]
    assert model.capacity_step(steps) == steps[0]
    # the highest passing step, even after a noisy failure below it
    steps = [_step(10, 40), _step(20, 320), _step(40, 280)]
    assert model.capacity_step(steps) == steps[2]
    assert model.capacity_step([_step(10, 301)]) is None
    assert model.capacity_step([_step(10, float("nan"))]) is None
    # a step whose moves ran out of households had another mix: it does not count
    assert model.capacity_step([_step(10, 40), {**_step(20, 50), "skipped": 3}]) == _step(10, 40)


def test_inhabitants_per_core() -> None:
    served = model.inhabitants_served(100.0, 2, per_inhabitant=1e-6)
    assert served["inhabitants"] == pytest.approx(100_000_000)
    assert served["per_core"] == pytest.approx(50_000_000)
    default = model.inhabitants_served(50.0, 1)
    assert default["inhabitants"] == pytest.approx(
        50.0 / model.peak_requests_per_second_per_inhabitant())
    assert math.isnan(model.inhabitants_served(1.0, 0)["per_core"])
