"""What every benchmark here shares: a description of the machine, interleaved rounds
against a baseline measured in the same run, median and spread, the ratio, a verdict
against the target, and the rows `scripts/bench` gathers into BENCHMARKS.md.

A benchmark builds `Row`s, prints them with `print_rows` and, given `--json PATH`
(`add_json_argument`), writes them with `write_json` for the runner to collect."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any


def machine() -> dict[str, str]:
    """Where the figures come from: they mean little without it."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count() or "?"),
        "cpu": model,
        "python": platform.python_version(),
        "pyside6": _version("PySide6-Essentials", "PySide6"),
        "httpx": _version("httpx"),
        "load": load,
    }


def _version(*distributions: str) -> str:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "?"


def machine_line(description: dict[str, str]) -> str:
    return (
        f"{description['date']}: {description['cores']} cores ({description['cpu']}), "
        f"CPython {description['python']}, PySide6 {description['pyside6']}, "
        f"httpx {description['httpx']}; load average {description['load']} at the start"
    )


def interleaved(
    rounds: int, variants: dict[str, Callable[[], float]], warm_up: bool = True
) -> dict[str, list[float]]:
    """Each variant once per round, the order reversed every other round, so that a
    drift of the machine's load hits every variant alike. With `warm_up`, one untimed
    round first (page cache, bytecode)."""
    if warm_up:
        for measure in variants.values():
            measure()
    results: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for index in range(rounds):
        for name in names if index % 2 == 0 else reversed(names):
            results[name].append(variants[name]())
    return results


@dataclass(frozen=True)
class Summary:
    median: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        if not values:
            raise ValueError("no values to summarise")
        return cls(statistics.median(values), min(values), max(values), len(values))

    def spread(self, digits: int = 0) -> str:
        if self.count == 1:
            return "1 sample"
        return f"{self.low:.{digits}f}\N{EN DASH}{self.high:.{digits}f} (n={self.count})"


@dataclass(frozen=True)
class Target:
    """`limit` for the ratio to the baseline (`kind="ratio"`) or for the value itself
    (`kind="value"`); lower is better."""

    limit: float
    kind: str = "ratio"

    def text(self, unit: str) -> str:
        if self.kind == "ratio":
            return f"≤ {self.limit:g}\N{MULTIPLICATION SIGN}"
        return f"≤ {self.limit:g}{_spaced(unit)}"


def ratio_at_most(limit: float) -> Target:
    return Target(limit, "ratio")


def at_most(limit: float) -> Target:
    return Target(limit, "value")


def _spaced(unit: str) -> str:
    return f" {unit}" if unit else ""


@dataclass
class Row:
    """One figure of one benchmark: traywatch's median against the baseline's."""

    metric: str
    unit: str
    value: Summary
    baseline: Summary | None = None
    target: Target | None = None
    digits: int = 0
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline.median == 0:
            return None
        return self.value.median / self.baseline.median

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        measured = self.ratio if self.target.kind == "ratio" else self.value.median
        if measured is None:
            return "no baseline"
        return "met" if measured <= self.target.limit else "missed"

    def cells(self) -> list[str]:
        value = f"{self.value.median:.{self.digits}f}{_spaced(self.unit)}"
        baseline = (
            f"{self.baseline.median:.{self.digits}f}{_spaced(self.unit)}"
            if self.baseline is not None
            else "—"
        )
        ratio = f"{self.ratio:.2f}" if self.ratio is not None else "—"
        spread = self.value.spread(self.digits)
        if self.baseline is not None and self.baseline.count > 1:
            spread += f"; baseline {self.baseline.spread(self.digits)}"
        verdict = self.verdict
        if verdict == "missed":
            verdict = "**missed**"
        return [
            self.metric,
            value,
            baseline,
            ratio,
            self.target.text(self.unit) if self.target else "—",
            verdict or "—",
            spread + (f"; {self.note}" if self.note else ""),
        ]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        baseline = data.get("baseline")
        target = data.get("target")
        return cls(
            metric=data["metric"],
            unit=data["unit"],
            value=Summary(**data["value"]),
            baseline=Summary(**baseline) if baseline else None,
            target=Target(**target) if target else None,
            digits=int(data.get("digits", 0)),
            note=data.get("note", ""),
        )


@dataclass
class Result:
    """What one benchmark found, with the baseline it was compared with."""

    benchmark: str
    baseline: str
    rows: list[Row]
    machine: dict[str, str] = field(default_factory=machine)
    setup: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "baseline": self.baseline,
            "setup": self.setup,
            "machine": self.machine,
            "rows": [row.to_json() for row in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        return cls(
            benchmark=data["benchmark"],
            baseline=data.get("baseline", ""),
            setup=data.get("setup", ""),
            machine=data.get("machine") or machine(),
            rows=[Row.from_json(row) for row in data["rows"]],
        )


HEADER = ("metric", "traywatch", "floor / baseline", "ratio", "target", "verdict", "spread")


def markdown_table(results: Iterable[Result]) -> str:
    """One table of every benchmark's rows; the benchmark and its baseline head each
    group."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for result in results:
        lines.append(f"| **{result.benchmark}** (against {result.baseline}) |" + " |" * 6)
        for row in result.rows:
            lines.append("| " + " | ".join(_cell(c) for c in row.cells()) + " |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def print_rows(result: Result, out: Any = None) -> None:
    """The rows for a person at a terminal."""
    out = out or sys.stdout
    print(machine_line(result.machine), file=out)
    if result.setup:
        print(result.setup, file=out)
    widths = [max(len(HEADER[i]), *(len(r.cells()[i]) for r in result.rows)) for i in range(6)]
    print(
        "  ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=False)) + "  spread", file=out
    )
    for row in result.rows:
        cells = row.cells()
        print(
            "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)) + "  " + cells[6],
            file=out,
        )


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON here")


def write_json(result: Result, path: str | None) -> None:
    if path:
        Path(path).write_text(json.dumps(result.to_json(), indent=1), encoding="utf-8")


def read_json(path: Path) -> Result:
    return Result.from_json(json.loads(path.read_text(encoding="utf-8")))
