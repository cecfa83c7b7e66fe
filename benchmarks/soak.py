"""The long soak: the real tray app watching 200 services whose pages keep changing,
for 30 minutes at the minimum interval (30 s), with its window opened and its config
edited now and then — memory, file descriptors, tasks, threads and None's reference
count sampled every minute. The short version runs in the suite
(tests/e2e/test_soak.py).

Run it on the test desktop, from the repository's root:

    scripts/with-desktop .venv/bin/python benchmarks/soak.py [--minutes 30] [--services 200]

`--time-scale N` runs every interval N times faster (the same number of refreshes in
1/N of the time). Prints one row a minute and a verdict on the figures after the
first five minutes (the warm-up): flat means within 10 %."""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.app import App  # noqa: E402
from tests.e2e.desktop import tray_item, wait_until  # noqa: E402
from tests.support.server import StatusServer  # noqa: E402
from tests.support.soak import ChangingPages, Sample, SoakRun  # noqa: E402

COLUMNS = (
    "minute",
    "rss_mib",
    "pss_mib",
    "open_fds",
    "tasks",
    "os_threads",
    "none_refcount",
    "polls",
    "view_refreshes",
)
WARM_UP_MINUTES = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--json", metavar="FILE", help="also write every sample here")
    args = parser.parse_args()

    import PySide6

    print(
        f"# {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"{args.services} services, {args.minutes:g} min, time scale {args.time_scale:g}"
    )
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    home = Path(tempfile.mkdtemp(prefix="traywatch-soak-"))
    with StatusServer() as server:
        pages = ChangingPages(server, args.services)
        config = home / "config.toml"
        config.write_text(pages.config(), encoding="utf-8")
        app = App(config, home, env={"TRAYWATCH_TIME_SCALE": str(args.time_scale)})
        run = SoakRun(app, pages)
        try:
            app.start()
            try:
                wait_until(lambda: tray_item(app.pid), timeout=60, what="the tray icon")
            except AssertionError:
                alive = app.process is not None and app.process.poll() is None
                print(f"no tray icon after 60 s (app alive: {alive}); its log ends with:")
                print("\n".join(app.log().splitlines()[-20:]))
                raise
            run.started = time.monotonic()
            run.open_window()
            minute = 0
            while minute < args.minutes:
                minute += 1
                time.sleep(max(run.started + 60 * minute - time.monotonic(), 0))
                if app.process is None or app.process.poll() is not None:
                    print(f"the app died in minute {minute}")
                    return 1
                if minute % 10 == 0:
                    run.edit_config(minute)
                    run.open_window()
                sample = run.sample()
                print("| " + " | ".join(str(sample.row()[c]) for c in COLUMNS) + " |", flush=True)
            code, stderr = app.stop()
        finally:
            app.close()
    if args.json:
        Path(args.json).write_text(json.dumps([s.row() for s in run.samples], indent=1))
    qt_warnings = [line for line in app.log().splitlines() if "traywatch.qt" in line]
    print(verdict(run.samples, code, stderr, qt_warnings))
    return 0


def verdict(samples: list[Sample], code: int, stderr: str, qt_warnings: list[str]) -> str:
    warm = [s for s in samples if s.at >= WARM_UP_MINUTES * 60] or samples
    first, last = warm[0], warm[-1]
    lines = [
        f"after warm-up (minute {first.row()['minute']} to {last.row()['minute']}):",
        f"  RSS {first.rss_mib:.1f} -> {last.rss_mib:.1f} MiB "
        f"({last.rss_mib / first.rss_mib - 1:+.1%}; max {max(s.rss_mib for s in warm):.1f})",
        f"  open fds {first.stats['open_fds']} -> {last.stats['open_fds']}, "
        f"tasks {first.stats['tasks']} -> {last.stats['tasks']}, "
        f"threads {first.stats['os_threads']} -> {last.stats['os_threads']}",
        f"  None refcount {first.stats['none_refcount']} -> {last.stats['none_refcount']}",
        f"  exit code {code}, Qt warnings {len(qt_warnings)}, "
        f"tracebacks on stderr {stderr.count('Traceback')}",
    ]
    flat = last.rss_mib <= first.rss_mib * 1.10
    lines.append("verdict: " + ("memory flat" if flat else "MEMORY GREW"))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
