"""What each part of the design's stack adds to a bare PySide6 tray icon app, in memory
(RSS) and import time: the floor of what an idle traywatch can weigh.

    scripts/with-desktop .venv/bin/python benchmarks/import_cost.py [--rounds 3] [--json PATH]

A child process shows a bare tray icon (the floor, as in startup_idle.py), then imports
one group after another and reads its RSS after each; a module shared by two groups is
counted in the first. Median of --rounds fresh processes."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Result, Row, Summary, add_json_argument, print_rows, write_json

ROOT = Path(__file__).resolve().parents[1]

# (label, modules, part of what an idle tray must load: PySide6, qasync, h11, SQLite)
GROUPS: tuple[tuple[str, str, bool], ...] = (
    ("ssl + hashlib (OpenSSL: TLS, for any HTTPS client)", "ssl,hashlib", True),
    ("asyncio + qasync (the event loop)", "asyncio,qasync", True),
    ("h11 (HTTP/1.1 of the polls, poller/direct.py)", "h11", True),
    ("sqlite3 + json (the state store)", "sqlite3,json", True),
    ("PySide6.QtNetwork (the single-instance socket)", "PySide6.QtNetwork", False),
    (
        "traywatch's own modules of an idle tray",
        "traywatch.app,traywatch.config,traywatch.monitor,traywatch.store.history,"
        "traywatch.ui.tray,traywatch.ui.icons,traywatch.poller.http,"
        "traywatch.poller.scheduler,traywatch.providers.statuspage,traywatch.notify.freedesktop",
        False,
    ),
    # Last: an idle tray whose pages answer directly never imports it.
    (
        "httpx + httpcore + anyio + idna + truststore (redirects, proxies: when first needed)",
        "anyio,httpcore,httpx,idna,truststore",
        False,
    ),
)

CHILD = r"""
import importlib, json, sys, time
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon
app = QApplication([])
pixmap = QPixmap(22, 22)
pixmap.fill(Qt.GlobalColor.transparent)
tray = QSystemTrayIcon(QIcon(pixmap))
menu = QMenu()
menu.addAction("Quit")
tray.setContextMenu(menu)
tray.show()
for _ in range(20):
    app.processEvents()
figures = [{"rss": rss(), "ms": 0.0}]
for group in sys.argv[1:]:
    started = time.perf_counter()
    for name in group.split(","):
        importlib.import_module(name)
    figures.append({"rss": rss(), "ms": (time.perf_counter() - started) * 1000})
print(json.dumps(figures))
"""


def one_round() -> list[dict[str, float]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *(modules for _, modules, _ in GROUPS)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    figures: list[dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    add_json_argument(parser)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        raise SystemExit("needs a display: run it under scripts/with-desktop")
    rounds = [one_round() for _ in range(args.rounds)]
    floor = Summary.of([r[0]["rss"] for r in rounds])
    rows = [Row("RSS of the floor (a bare tray icon app)", "MiB", floor, digits=1)]
    design = [0.0] * len(rounds)
    for index, (label, _, in_design) in enumerate(GROUPS, start=1):
        added = [r[index]["rss"] - r[index - 1]["rss"] for r in rounds]
        if in_design:
            design = [d + a for d, a in zip(design, added, strict=True)]
        took = Summary.of([r[index]["ms"] for r in rounds]).median
        rows.append(
            Row(f"+ {label}", "MiB", Summary.of(added), digits=1, note=f"import {took:.0f} ms")
        )
    lowest = [r[0]["rss"] + d for r, d in zip(rounds, design, strict=True)]
    rows.append(
        Row(
            "floor + the design's stack alone (no traywatch code, no data)",
            "MiB",
            Summary.of(lowest),
            floor,
            digits=1,
            note="the ratio is the lowest an idle traywatch could reach",
        )
    )
    idle = Summary.of([r[-2]["rss"] for r in rounds])
    rows.append(Row("everything but httpx (an idle tray's imports)", "MiB", idle, floor, digits=1))
    total = Summary.of([r[-1]["rss"] for r in rounds])
    rows.append(Row("everything above imported", "MiB", total, floor, digits=1))
    result = Result(
        benchmark="import_cost",
        baseline="the floor: a bare PySide6 tray icon app, same process",
        setup=f"each group imported after the ones above it; median of {args.rounds} processes",
        rows=rows,
    )
    print_rows(result)
    write_json(result, args.json)


if __name__ == "__main__":
    main()
