"""Runs the benchmarks and regenerates the summary table in BENCHMARKS.md (between
`<!-- bench:begin -->` and `<!-- bench:end -->`). Started by `scripts/bench`, which
provides the test desktop the tray benchmarks need.

    scripts/bench [--quick] [--only NAME]... [--markdown PATH] [--from-results DIR]

Each benchmark writes its rows as JSON (`--json`, see benchlib.py); one that does not
know `--json` yet has its printed figures read by an adapter below. A benchmark
missing from this checkout is skipped and said so; one that fails is reported in
the table, and the others still run."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Result, Row, Summary, at_most, machine, machine_line, markdown_table

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Benchmark:
    name: str
    full: tuple[str, ...]  # arguments of a real run
    quick: tuple[str, ...]  # a smoke test: the same code paths, few rounds, small sizes
    # For a script that prints but writes no JSON: its stdout to a Result.
    adapter: Callable[[str], Result] | None = None

    @property
    def script(self) -> Path:
        return HERE / f"{self.name}.py"


def poll_cycle_from_text(text: str) -> Result:
    """poll_cycle.py's printed table, as rows (it has no --json): per figure, a heading
    line, then `bare httpx  MEDIAN (MIN-MAX)` and `traywatch  MEDIAN (MIN-MAX) ...`."""
    lines = text.splitlines()

    def figures(heading: str) -> tuple[Summary, Summary]:
        for at, line in enumerate(lines):
            if line.strip() == heading:
                bare, ours = (_median_range(lines[at + 1]), _median_range(lines[at + 2]))
                bare, ours = (replace(bare, count=count), replace(ours, count=count))
                return ours, bare
        raise ValueError(f"poll_cycle printed no figure {heading!r}")

    def row(heading: str, metric: str, unit: str, target: float | None, digits: int) -> Row:
        ours, bare = figures(heading)
        return Row(
            metric,
            unit,
            ours,
            bare,
            at_most(target) if target is not None else None,
            digits=digits,
            note="median of the process's cycles, per run" if "later" in heading else "",
        )

    runs = re.search(r"(\d+) interleaved runs", text)
    count = int(runs.group(1)) if runs else 1
    empty = re.search(r"empty loop: stall [\d.]+ ms, peak RSS ([\d.]+) MiB", text)
    if empty is None:
        raise ValueError("poll_cycle printed no empty-loop line")
    ours_rss, _ = figures("peak RSS MiB")
    growth = ours_rss.median - float(empty.group(1))
    return Result(
        benchmark="poll_cycle",
        baseline="a bare httpx.AsyncClient fetching the same URLs, same run",
        setup=lines[0] if lines else "",
        rows=[
            row("wall, first (cold) cycle s", "poll cycle: first (cold), wall", "s", 2, 2),
            row("wall, later cycles s", "poll cycle: later cycles, wall", "s", 2, 2),
            row("CPU, later cycles s", "poll cycle: later cycles, CPU", "s", None, 2),
            row("longest loop stall ms", "poll cycle: longest loop stall", "ms", 20, 0),
            row(
                "longest CPU between ticks ms",
                "poll cycle: longest CPU between ticks",
                "ms",
                None,
                0,
            ),
            Row(
                "poll cycle: peak RSS growth over an empty loop",
                "MiB",
                Summary.of([growth]),
                target=at_most(60),
                digits=1,
            ),
        ],
    )


def _median_range(line: str) -> Summary:
    """`  label   4.34 (4.34-4.35) ...` as a Summary (its count set by the caller)."""
    found = re.search(r"([\d.]+) \(([\d.]+)-([\d.]+)\)", line)
    if found is None:
        raise ValueError(f"poll_cycle printed an unreadable line {line!r}")
    median, low, high = (float(x) for x in found.groups())
    return Summary(median, low, high, 1)


BENCHMARKS = (
    Benchmark(
        "startup_idle",
        ("--rounds", "7", "--idle", "180", "--settle", "30"),
        ("--rounds", "2", "--idle", "4", "--settle", "2"),
    ),
    Benchmark("import_cost", ("--rounds", "3"), ("--rounds", "1")),
    Benchmark(
        "window_open",
        ("--rounds", "5"),
        ("--rounds", "1", "--services", "20", "--history", "500"),
    ),
    Benchmark(
        "poll_cycle",
        ("--services", "500", "--rounds", "4"),
        ("--services", "40", "--rounds", "2"),
        adapter=poll_cycle_from_text,
    ),
    Benchmark("poll_cpu", (), ("--quick",)),
)


def supported(arguments: tuple[str, ...], source: str) -> list[str]:
    """The options (with their values) that the script's source mentions: a benchmark
    from another branch may not know them all yet."""
    kept: list[str] = []
    skipping = False
    for word in arguments:
        if word.startswith("--"):
            skipping = f'"{word}"' not in source
        if not skipping:
            kept.append(word)
    return kept


def run(benchmark: Benchmark, quick: bool, results: Path) -> Result | None:
    """The benchmark's figures; None when this checkout does not have it."""
    if not benchmark.script.exists():
        print(f"bench: {benchmark.name}: not in this checkout, skipped", file=sys.stderr)
        return None
    source = benchmark.script.read_text(encoding="utf-8")
    arguments = supported(benchmark.quick if quick else benchmark.full, source)
    output = results / f"{benchmark.name}.json"
    uses_json = '"--json"' in source or "add_json_argument(" in source
    if uses_json:
        arguments += ["--json", str(output)]
    elif benchmark.adapter is None:
        print(f"bench: {benchmark.name}: writes no --json yet, not tabulated", file=sys.stderr)
        return None
    print(f"bench: {benchmark.name} {' '.join(arguments)}", file=sys.stderr, flush=True)
    done = subprocess.run(
        [sys.executable, str(benchmark.script), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    sys.stderr.write(done.stdout)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        return failed(benchmark, f"exited with {done.returncode}: {last_line(done.stderr)}")
    try:
        if uses_json:
            result = Result.from_json(json.loads(output.read_text(encoding="utf-8")))
        else:
            assert benchmark.adapter is not None
            result = benchmark.adapter(done.stdout)
            output.write_text(json.dumps(result.to_json(), indent=1), encoding="utf-8")
    except (OSError, ValueError, KeyError) as exc:
        return failed(benchmark, f"its figures could not be read: {exc}")
    return result


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def failed(benchmark: Benchmark, why: str) -> Result:
    print(f"bench: {benchmark.name}: {why}", file=sys.stderr)
    return Result(benchmark.name, f"FAILED: {why}", rows=[])


def summary(results: list[Result], quick: bool) -> str:
    """The generated part of BENCHMARKS.md."""
    described = results[0].machine if results else machine()
    lines = [
        BEGIN,
        "<!-- generated by scripts/bench: edit benchmarks/run_all.py, not this table -->",
        "",
        f"Last run: {machine_line(described)}."
        + (" **Quick mode** (a smoke test: too few rounds to mean anything)." if quick else ""),
        "",
        markdown_table(results),
        "",
    ]
    lines += [f"- {r.benchmark}: {r.setup}" for r in results if r.setup]
    lines += ["", END]
    return "\n".join(lines)


def replace_summary(document: str, generated: str) -> str:
    """`document` with the text between the markers replaced (the markers added at the
    end when missing)."""
    if BEGIN in document and END in document:
        before, rest = document.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        return before + generated + after
    return document.rstrip("\n") + "\n\n" + generated + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few rounds, small sizes")
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="just this benchmark (repeatable)"
    )
    parser.add_argument("--markdown", default=str(ROOT / "BENCHMARKS.md"), metavar="PATH")
    parser.add_argument(
        "--results", metavar="DIR", help="keep each benchmark's JSON here (default: temporary)"
    )
    parser.add_argument(
        "--from-results",
        metavar="DIR",
        help="run nothing: make the table from the JSON files an earlier run kept",
    )
    args = parser.parse_args()
    wanted = [b for b in BENCHMARKS if not args.only or b.name in args.only]
    if args.only and len(wanted) != len(args.only):
        known = ", ".join(b.name for b in BENCHMARKS)
        raise SystemExit(f"bench: --only takes one of {known}")

    if args.from_results:
        directory = Path(args.from_results)
        results = [
            Result.from_json(json.loads((directory / f"{b.name}.json").read_text("utf-8")))
            for b in wanted
            if (directory / f"{b.name}.json").exists()
        ]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(args.results or tmp)
            directory.mkdir(parents=True, exist_ok=True)
            results = [r for b in wanted if (r := run(b, args.quick, directory)) is not None]
    if not results:
        raise SystemExit("bench: nothing was measured")
    markdown = Path(args.markdown)
    document = markdown.read_text(encoding="utf-8") if markdown.exists() else ""
    markdown.write_text(replace_summary(document, summary(results, args.quick)), "utf-8")
    print(f"bench: {markdown} updated", file=sys.stderr)
    if any(r.baseline.startswith("FAILED") for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
