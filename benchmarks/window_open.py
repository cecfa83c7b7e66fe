"""Opening the main window with 200 services and 100 000 history rows in the store:
time to the first frame, to everything it reads from the store shown (off the GUI
thread, awaited on the qasync loop), and to the history tab's first page, and the memory
it adds; against a bare window with a 200-row table, measured in the same run,
interleaved.

    scripts/with-desktop .venv/bin/python benchmarks/window_open.py [--rounds 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (
    Result,
    Row,
    Summary,
    add_json_argument,
    at_most,
    interleaved,
    print_rows,
    write_json,
)

ROOT = Path(__file__).resolve().parents[1]
SERVICES = 200
HISTORY = 100_000

CHILD = r"""
import sys, time, json, asyncio
from pathlib import Path
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
import qasync
app = QApplication([])
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
mode, home = sys.argv[1], Path(sys.argv[2])
figures = {}
if mode == "traywatch":
    from traywatch.config import load_config
    from traywatch.monitor import Monitor
    from traywatch.notify.base import RecordingNotifier
    from traywatch.store import HistoryStore
    from traywatch.ui.window import MainWindow
    from PySide6.QtCore import QSettings
    monitor = Monitor(load_config(home / "config.toml"), HistoryStore(home / "state.sqlite3"),
                      RecordingNotifier())
    settings = QSettings(str(home / "window.ini"), QSettings.Format.IniFormat)
    app.processEvents()
    before = rss()
    started = time.perf_counter()
    window = MainWindow(monitor, settings)
    window.bring_up()
else:
    app.processEvents()
    before = rss()
    started = time.perf_counter()
    window = QMainWindow()
    table = QTableWidget(200, 5)
    for row in range(200):
        for column in range(5):
            table.setItem(row, column, QTableWidgetItem(f"{row}:{column}"))
    window.setCentralWidget(table)
    window.resize(1100, 680)
    window.show()
while not (window.windowHandle() and window.windowHandle().isExposed()):
    app.processEvents()
window.repaint()  # the first frame, painted
figures["ms"] = (time.perf_counter() - started) * 1000
if mode == "traywatch":
    loop.run_until_complete(window.settled())  # the bar, the incidents: read and shown
    window.repaint()
    figures["complete_ms"] = (time.perf_counter() - started) * 1000
    opened = time.perf_counter()
    window.tabs.setCurrentIndex(1)  # the history, read when its tab is first opened
    loop.run_until_complete(window.settled())
    window.repaint()
    figures["history_ms"] = (time.perf_counter() - opened) * 1000
    figures["history_rows"] = window.history_page.model.total
app.processEvents()
figures["mib"] = rss() - before
print(json.dumps(figures), flush=True)
import os
os._exit(0)  # measured: skip tearing the widgets down
"""


def build_home(home: Path, services: int = SERVICES, history: int = HISTORY) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from traywatch.providers.statuspage import StatuspageProvider
    from traywatch.store import HistoryStore

    fixtures = ROOT / "tests/providers/fixtures/statuspage"
    bodies = [
        (fixtures / name).read_bytes()
        for name in (
            "githubstatus-summary-all-operational.json",
            "githubstatus-summary-major-critical-impact-mixed-components.json",
            "githubstatus-summary-maintenance-in-progress.json",
        )
    ]
    now = datetime.now(UTC)
    store = HistoryStore(home / "state.sqlite3")
    lines = []
    for i in range(services):
        body = bodies[0] if i % 10 else bodies[(i // 10) % 3]
        snapshot = StatuspageProvider().parse(body, fetched_at=now, page_url="https://x.test")
        store.record(f"Service {i:03}", snapshot)
        lines.append(
            f'[[services]]\nname = "Service {i:03}"\nurl = "https://s{i}.test"\n'
            'kind = "statuspage"\n'
        )
    db = store._db
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO history (at, service, event, severity, text) VALUES (?, ?, ?, ?, ?)",
        [
            (
                (now - timedelta(seconds=20 * i)).isoformat(),
                f"Service {i % services:03}",
                "severity_change",
                "degraded",
                f"Operational → Degraded ({i})",
            )
            for i in range(history)
        ],
    )
    db.execute("COMMIT")
    store.close()
    (home / "config.toml").write_text("\n".join(lines), encoding="utf-8")


def run(mode: str, home: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(home)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="openings of each (default 5)")
    parser.add_argument("--services", type=int, default=SERVICES)
    parser.add_argument("--history", type=int, default=HISTORY, help="rows of history stored")
    add_json_argument(parser)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        raise SystemExit("needs a display: run it under scripts/with-desktop")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        build_home(home, args.services, args.history)
        figures: dict[str, list[dict[str, float]]] = {"traywatch": [], "bare": []}

        def opening(mode: str) -> float:
            figures[mode].append(run(mode, home))
            return figures[mode][-1]["ms"]

        # interleaved: the machine's mood affects both alike
        interleaved(args.rounds, {mode: lambda m=mode: opening(m) for mode in figures})
    ours = figures["traywatch"][1:]  # the first of each warmed the caches
    bare = figures["bare"][1:]

    def of(rows: list[dict[str, float]], key: str) -> Summary:
        return Summary.of([r[key] for r in rows])

    result = Result(
        benchmark="window_open",
        baseline="a bare window holding a 200-row table, same run",
        setup=(
            f"{args.services} services stored, {int(ours[0]['history_rows']):,} history rows; "
            f"{args.rounds} interleaved openings of each"
        ),
        rows=[
            Row("window: first frame", "ms", of(ours, "ms"), of(bare, "ms"), at_most(300)),
            Row("window: everything read and shown", "ms", of(ours, "complete_ms")),
            Row("window: History tab, first page", "ms", of(ours, "history_ms")),
            Row(
                "window: memory added",
                "MiB",
                of(ours, "mib"),
                of(bare, "mib"),
                at_most(40),
                digits=1,
            ),
        ],
    )
    print_rows(result)
    write_json(result, args.json)


if __name__ == "__main__":
    main()
