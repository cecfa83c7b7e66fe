"""scripts/bench's runner, for real and in quick mode, so that the benchmarks and the
table they feed cannot rot: the tray app's start-up and idle benchmark against the bare
tray app, and the import costs, on the test desktop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_quick_run_writes_the_summary_table(tmp_path: Path) -> None:
    markdown = tmp_path / "BENCHMARKS.md"
    markdown.write_text("# Benchmarks\n\n<!-- bench:begin -->\nold\n<!-- bench:end -->\n\nkept\n")
    results = tmp_path / "results"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run_all.py"),
            "--quick",
            "--only",
            "startup_idle",
            "--only",
            "import_cost",
            "--markdown",
            str(markdown),
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    text = markdown.read_text()
    assert "old" not in text
    assert text.endswith("<!-- bench:end -->\n\nkept\n")
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in text.splitlines()}
    start = rows["start → icon visible, bytecode compiled"]
    assert start[1].endswith(" ms")
    assert float(start[1].removesuffix(" ms")) > 0
    assert start[5] in ("met", "**missed**")
    assert float(rows["threads while idle (most seen)"][1]) >= 1
    assert rows["RSS 2 s after the icon"][2].endswith(" MiB")
    assert "floor + the design's stack alone (no traywatch code, no data)" in rows
    assert sorted(p.name for p in results.iterdir()) == ["import_cost.json", "startup_idle.json"]
