from __future__ import annotations

import random

import pytest

from traywatch.poller.scheduler import JITTER, MAX_BACKOFF, coalesce, next_delay


class Fixed(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.value


MID = Fixed(0.5)


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, 120), (1, 120), (2, 240), (3, 480), (4, 900), (10, 900), (1000, 900)],
)
def test_backoff_doubles_and_is_capped(failures: int, expected: float) -> None:
    assert next_delay(120, failures, rng=MID) == pytest.approx(expected)


def test_an_interval_longer_than_the_cap_is_kept() -> None:
    assert next_delay(3600, 5, rng=MID) == pytest.approx(3600)
    assert MAX_BACKOFF == 900


def test_retry_after_is_honoured() -> None:
    assert next_delay(120, 1, retry_after=600, rng=MID) == pytest.approx(600)
    assert next_delay(120, 1, retry_after=5, rng=MID) == pytest.approx(120)


def test_jitter_is_ten_percent_either_way() -> None:
    assert next_delay(100, 0, rng=Fixed(0.0)) == pytest.approx(90)
    assert next_delay(100, 0, rng=Fixed(1.0)) == pytest.approx(110)
    delays = {round(next_delay(100, 0), 3) for _ in range(50)}
    assert len(delays) > 10
    assert all(90 <= d <= 110 for d in delays)


def test_timers_are_gathered_on_a_grid_never_earlier() -> None:
    rng = random.Random(7)
    whens = [1000.0 + next_delay(30, 0, rng=rng) for _ in range(20)]
    dues = [coalesce(w, 30 * JITTER) for w in whens]
    assert all(due >= when for due, when in zip(dues, whens, strict=True))
    assert all(due - when < 3.0 + 1e-9 for due, when in zip(dues, whens, strict=True))
    assert len(set(whens)) == 20
    assert len(set(dues)) <= 3
    assert coalesce(12.5, 0) == 12.5
