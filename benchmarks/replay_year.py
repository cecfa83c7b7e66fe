"""Replay a year of one service's history: ~2,800 distinct responses polled every
120 s (~263,000 polls), through the same parse -> policy path as the app.

    .venv/bin/python benchmarks/replay_year.py [--responses 2800] [--interval 120]

The history is made from recorded GitHub summaries (each made distinct by its
page's `updated_at`, and cycling through calm, incidents and maintenance). The
baseline, measured in the same run, is the floor: reading and parsing each
distinct response once, with no policy."""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

FIXTURES = ROOT / "tests/providers/fixtures/statuspage"
STATES = [
    "githubstatus-summary-all-operational.json",
    "githubstatus-summary-indicator-none-with-open-incident.json",
    "githubstatus-summary-minor-degraded-performance.json",
    "githubstatus-summary-major-outage.json",
    "githubstatus-summary-all-operational.json",
    "githubstatus-summary-maintenance-in-progress.json",
    "githubstatus-summary-all-operational.json",
]


def make_history(directory: Path, responses: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    bodies = [json.loads((FIXTURES / name).read_bytes()) for name in STATES]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    span = timedelta(days=365).total_seconds()
    times = sorted(rng.uniform(0, span) for _ in range(responses))
    for index, offset in enumerate(times):
        at = start + timedelta(seconds=int(offset))
        body = dict(bodies[(index // 3) % len(bodies)])
        body["page"] = {**body["page"], "updated_at": at.isoformat()}
        name = at.strftime("%Y-%m-%dT%H:%M:%SZ") + ".json"  # a same-second twin overwrites
        (directory / name).write_text(json.dumps(body), encoding="utf-8")


def main() -> None:
    from traywatch.config.schema import Config
    from traywatch.providers import get_provider
    from traywatch.replay import recordings, replay

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=2800)
    parser.add_argument("--interval", type=float, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        make_history(directory, args.responses)

        provider = get_provider("statuspage")
        started = time.perf_counter()
        for recording in recordings(directory):
            provider.parse(recording.path.read_bytes(), fetched_at=recording.at, page_url="")
        floor = time.perf_counter() - started

        files = recordings(directory)
        polls = int((files[-1].at - files[0].at).total_seconds() // args.interval) + 2
        started = time.perf_counter()
        notifications = list(
            replay(
                directory, kind="statuspage", name="GitHub", interval=args.interval, config=Config()
            )
        )
        elapsed = time.perf_counter() - started

    print(
        f"{args.responses} distinct responses over a year, ~{polls:,} polls at {args.interval:g} s"
    )
    print(f"replay                        {elapsed:6.2f} s   (target < 60 s)")
    print(f"floor: read + parse each once {floor:6.2f} s   ratio {elapsed / floor:.2f}")
    print(f"notifications                 {len(notifications):6d}")


if __name__ == "__main__":
    main()
