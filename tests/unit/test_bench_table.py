"""The benchmarks' shared verdicts and the summary table scripts/bench writes into
BENCHMARKS.md (the benchmarks themselves run in tests/e2e/test_bench.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from benchlib import (  # noqa: E402
    Result,
    Row,
    Summary,
    at_most,
    interleaved,
    markdown_table,
    ratio_at_most,
)
from run_all import (  # noqa: E402
    BEGIN,
    END,
    poll_cycle_from_text,
    replace_summary,
    summary,
    supported,
)


def start_row(ours: list[float], bare: list[float]) -> Row:
    return Row("start", "ms", Summary.of(ours), Summary.of(bare), ratio_at_most(1.2))


def test_a_ratio_target_is_met_up_to_its_limit_and_missed_beyond() -> None:
    assert start_row([360, 300, 420], [300, 310, 290]).verdict == "met"  # 360 / 300 = 1.2
    missed = start_row([400, 390, 500], [300, 310, 290])
    assert missed.verdict == "missed"
    assert missed.ratio == pytest.approx(400 / 300)
    assert "**missed**" in missed.cells()


def test_a_value_target_ignores_the_baseline() -> None:
    row = Row("cpu", "ms", Summary.of([14, 16, 15]), Summary.of([0, 0, 1]), at_most(15))
    assert row.verdict == "met"
    assert row.ratio is None  # the baseline's median is 0: no ratio
    assert Row("cpu", "ms", Summary.of([16]), None, at_most(15)).verdict == "missed"
    assert Row("rss", "MiB", Summary.of([1.0]), None, ratio_at_most(1.3)).verdict == "no baseline"


def test_the_spread_is_the_range_of_the_rounds() -> None:
    row = start_row([300, 350, 500, 310, 320], [200, 210, 220, 190, 205])
    assert row.value.median == 320
    spread = row.cells()[-1]
    assert "300\N{EN DASH}500 (n=5)" in spread
    assert "baseline 190\N{EN DASH}220 (n=5)" in spread


def test_rounds_alternate_their_order_after_a_warm_up() -> None:
    calls: list[str] = []

    def measure(name: str) -> float:
        calls.append(name)
        return float(len(calls))

    results = interleaved(3, {"a": lambda: measure("a"), "b": lambda: measure("b")})
    assert calls == ["a", "b", "a", "b", "b", "a", "a", "b"]
    assert results == {"a": [3.0, 6.0, 7.0], "b": [4.0, 5.0, 8.0]}


def result() -> Result:
    return Result(
        "startup_idle",
        "a bare tray app",
        [start_row([420], [300]), Row("threads", "", Summary.of([4]), None, at_most(4))],
        machine={
            "date": "2026-12-02 10:00 UTC",
            "cores": "2",
            "cpu": "Test CPU",
            "python": "3.11.7",
            "pyside6": "6.11.3",
            "httpx": "0.28.1",
            "load": "1.0 1.0 1.0",
        },
        setup="20 services",
    )


def test_the_table_has_a_row_per_figure_with_its_verdict() -> None:
    table = markdown_table([Result.from_json(result().to_json())])  # as read back by the runner
    lines = table.splitlines()
    assert lines[0].startswith("| metric | traywatch | floor / baseline | ratio |")
    assert lines[2].startswith("| **startup_idle** (against a bare tray app)")
    assert lines[3].split(" | ")[1:6] == [
        "420 ms",
        "300 ms",
        "1.40",
        "≤ 1.2\N{MULTIPLICATION SIGN}",
        "**missed**",
    ]
    assert lines[4].split(" | ")[1:6] == ["4", "—", "—", "≤ 4", "met"]


def test_the_summary_replaces_only_what_is_between_the_markers() -> None:
    document = f"# Benchmarks\n\nintro\n\n{BEGIN}\nold table\n{END}\n\n## Details\nkept\n"
    generated = summary([result()], quick=True)
    updated = replace_summary(document, generated)
    assert "old table" not in updated
    assert updated.startswith("# Benchmarks\n\nintro\n\n" + BEGIN)
    assert updated.endswith(END + "\n\n## Details\nkept\n")
    assert "2 cores (Test CPU), CPython 3.11.7, PySide6 6.11.3, httpx 0.28.1" in updated
    assert "**Quick mode**" in updated
    assert replace_summary(updated, generated) == updated  # a rerun changes nothing else
    appended = replace_summary("# Benchmarks\n", generated)
    assert appended == "# Benchmarks\n\n" + generated + "\n"


def test_options_a_benchmark_does_not_know_are_left_out() -> None:
    source = 'parser.add_argument("--rounds")\nparser.add_argument("--quick")'
    arguments = ("--rounds", "2", "--services", "40", "--quick")
    assert supported(arguments, source) == ["--rounds", "2", "--quick"]


POLL_CYCLE_OUTPUT = """\
500 services, concurrency 32, 4 cycles per process, 3 interleaved runs, 66 KB summary.json
median over runs (min-max); ratio: to bare httpx in the same run
wall, first (cold) cycle s
  bare httpx          5.15 (4.95-5.35)
  traywatch           4.34 (4.34-4.35)   ratio 0.84 (0.81-0.88)
wall, later cycles s
  bare httpx          3.63 (2.72-4.38)
  traywatch           4.27 (4.24-4.29)   ratio 1.18 (0.97-1.57)
CPU, later cycles s
  bare httpx          3.61 (2.69-4.35)
  traywatch           3.34 (3.06-3.42)   ratio 0.85 (0.79-1.24)
longest loop stall ms
  bare httpx      96.98 (72.14-104.30)
  traywatch        14.52 (13.40-35.39)   ratio 0.33 (0.24-0.49)
longest CPU between ticks ms
  bare httpx     106.90 (80.47-114.30)
  traywatch        44.40 (30.07-44.56)   ratio 0.39 (0.28-0.55)
peak RSS MiB
  bare httpx       41.88 (39.05-41.98)
  traywatch        43.39 (43.25-43.62)   ratio 1.04 (1.03-1.11)
empty loop: stall 1.0 ms, peak RSS 22.6 MiB
targets: a cycle < 2 s, stall < 20 ms, RSS growth over an empty loop < 60 MiB
"""


def test_poll_cycle_s_printed_table_is_read_into_rows() -> None:
    read = poll_cycle_from_text(POLL_CYCLE_OUTPUT)
    figures = {row.metric: row for row in read.rows}
    first = figures["poll cycle: first (cold), wall"]
    assert (first.value.median, first.baseline and first.baseline.median) == (4.34, 5.15)
    assert (first.value.low, first.value.high, first.value.count) == (4.34, 4.35, 3)
    assert first.verdict == "missed"
    stall = figures["poll cycle: longest loop stall"]
    assert (stall.value.median, stall.verdict) == (14.52, "met")
    growth = figures["poll cycle: peak RSS growth over an empty loop"].value.median
    assert growth == pytest.approx(43.39 - 22.6)
    with pytest.raises(ValueError, match="longest loop stall"):
        poll_cycle_from_text(POLL_CYCLE_OUTPUT.replace("longest loop stall", "stall"))
