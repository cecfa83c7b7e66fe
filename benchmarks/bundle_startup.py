"""Start-up time to a visible tray icon of the frozen bundle against the venv it was
built from (`python -m traywatch`), and the bundle's size, in the same run.

    scripts/package bundle
    scripts/with-desktop .venv/bin/python benchmarks/bundle_startup.py [--runs 9] [BUNDLE]

Both start with 20 services configured and their state stored by an earlier run, a
loopback server answering their polls (as benchmarks/startup_idle.py). Starts
alternate, so that drift on the machine hits both alike; the first of each is a
warm-up and not counted."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from startup_idle import SERVICES, stop, stored_services, time_to_icon

ROOT = Path(__file__).resolve().parents[1]


def disk_usage(path: Path) -> int:
    """Bytes on disk (allocated blocks, as du), links counted once."""
    seen: set[int] = set()
    total = 0
    for item in [path, *path.rglob("*")]:
        info = item.lstat()
        if info.st_ino not in seen:
            seen.add(info.st_ino)
            total += info.st_blocks * 512
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", default=str(ROOT / "dist" / "traywatch"))
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise SystemExit("needs a desktop with a tray host: run it under scripts/with-desktop")
    bundle = Path(args.bundle)
    frozen = bundle / "traywatch"
    if not frozen.exists():
        raise SystemExit(f"no bundle at {bundle}: run scripts/package bundle")

    with stored_services([str(frozen)]) as (env, config):
        commands = {
            "venv": [sys.executable, "-m", "traywatch", "--config", str(config)],
            "bundle": [str(frozen), "--config", str(config)],
        }
        starts: dict[str, list[float]] = {name: [] for name in commands}
        for run in range(args.runs + 1):
            for name, command in commands.items():
                seconds, process = time_to_icon(command, env)
                stop(process)
                if run:
                    starts[name].append(seconds * 1000)

    print(f"{SERVICES} services configured and stored; {args.runs} starts each, alternating")
    print(f"{'start to icon visible, ms':28}{'median':>8}{'min':>7}{'max':>7}   all runs")
    for name, values in starts.items():
        runs = " ".join(f"{v:.0f}" for v in values)
        print(
            f"{name:28}{statistics.median(values):>8.0f}{min(values):>7.0f}"
            f"{max(values):>7.0f}   {runs}"
        )
    ratio = statistics.median(starts["bundle"]) / statistics.median(starts["venv"])
    print(f"{'bundle / venv (medians)':28}{ratio:>8.2f}   target <= 1.0")
    print(f"bundle on disk: {disk_usage(bundle) / 1e6:.1f} MB (target <= 120 MB)")


if __name__ == "__main__":
    main()
