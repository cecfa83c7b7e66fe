"""Opening the main window with 200 services and 100 000 history rows in the store:
time to the first frame and the memory it adds, against a bare window with a
200-row table measured in the same run.

    scripts/with-desktop .venv/bin/python benchmarks/window_open.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = 200
HISTORY = 100_000

CHILD = r"""
import sys, time, json, resource
from pathlib import Path
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
app = QApplication([])
mode, home = sys.argv[1], Path(sys.argv[2])
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
elapsed = time.perf_counter() - started
app.processEvents()
print(json.dumps({"ms": elapsed * 1000, "mib": rss() - before}), flush=True)
import os
os._exit(0)  # measured: skip tearing the widgets down
"""


def build_home(home: Path) -> None:
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
    for i in range(SERVICES):
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
                f"Service {i % SERVICES:03}",
                "severity_change",
                "degraded",
                f"Operational → Degraded ({i})",
            )
            for i in range(HISTORY)
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
    if not os.environ.get("DISPLAY"):
        raise SystemExit("needs a display: run it under scripts/with-desktop")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        build_home(home)
        runs = 5
        ours = [run("traywatch", home) for _ in range(runs)]
        bare = [run("bare", home) for _ in range(runs)]
    ms = statistics.median(r["ms"] for r in ours)
    bare_ms = statistics.median(r["ms"] for r in bare)
    mib = statistics.median(r["mib"] for r in ours)
    bare_mib = statistics.median(r["mib"] for r in bare)
    print(f"{SERVICES} services, {HISTORY:,} history rows; median of {runs} runs each")
    print(
        f"first frame of the window  {ms:7.0f} ms   (bare 200-row table {bare_ms:.0f} ms, "
        f"ratio {ms / bare_ms:.2f}; target < 300 ms)"
    )
    print(f"memory added by opening it {mib:7.1f} MiB (bare {bare_mib:.1f} MiB; target < 40 MiB)")


if __name__ == "__main__":
    main()
