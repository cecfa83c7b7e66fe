"""A long run of the real app against many loopback status pages that keep changing:
shared by the soak test in the suite and `benchmarks/soak.py`.

Each service has its own page; every few polls it moves on to the next of a cycle of
real recorded summaries (operational, minor, major, maintenance), each service out of
step with the others, so the icon, tooltip, menu and window keep changing and the
notification policy keeps working."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.app import App
from tests.support.server import RequestHandler, StatusServer

FIXTURES = Path(__file__).resolve().parents[1] / "providers" / "fixtures" / "statuspage"
CYCLE = (
    "githubstatus-summary-all-operational.json",
    "githubstatus-summary-minor-degraded-performance.json",
    "githubstatus-summary-all-operational.json",
    "githubstatus-summary-major-outage.json",
    "githubstatus-summary-maintenance-in-progress.json",
)
SUMMARY = "/api/v2/summary.json"


def service_name(index: int) -> str:
    return f"Service {index:03d}"


class ChangingPages:
    """`count` status pages on a loopback server; page i shows CYCLE[(hits // every + i)]."""

    def __init__(self, server: StatusServer, count: int, every: int = 3) -> None:
        self.server = server
        self.count = count
        payloads = [(FIXTURES / name).read_bytes() for name in CYCLE]
        for index in range(count):
            hits = [0]

            def handler(h: RequestHandler, index: int = index, hits: list[int] = hits) -> None:
                hits[0] += 1
                h.send_bytes(payloads[(hits[0] // every + index) % len(payloads)])

            server.route(f"/s{index}{SUMMARY}", handler)

    def url(self, index: int) -> str:
        return self.server.url(f"/s{index}")

    def hits(self) -> int:
        return sum(self.server.hits(f"/s{index}{SUMMARY}") for index in range(self.count))

    def config(self, extra_name: str = "") -> str:
        """The config naming every page; `extra_name` renames the last service, which
        makes an edit the running app must apply."""
        lines = ["[settings]\ninterval = 30\nconcurrency = 16\n"]
        for index in range(self.count):
            name = service_name(index)
            if extra_name and index == self.count - 1:
                name = extra_name
            lines.append(
                f'[[services]]\nname = "{name}"\nkind = "statuspage"\nurl = "{self.url(index)}"\n'
            )
        return "\n".join(lines)


@dataclass
class Sample:
    at: float  # seconds since the start
    stats: dict[str, Any]

    @property
    def rss_mib(self) -> float:
        return float(self.stats["rss_kib"]) / 1024

    def row(self) -> dict[str, Any]:
        keys = ("view_refreshes", "polls", "tasks", "os_threads", "open_fds", "none_refcount")
        return {
            "minute": round(self.at / 60, 1),
            "rss_mib": round(self.rss_mib, 1),
            "pss_mib": round(float(self.stats["pss_kib"]) / 1024, 1),
            **{key: self.stats[key] for key in keys},
        }


@dataclass
class SoakRun:
    """The app under load, driven like a user would: window opened, config edited."""

    app: App
    pages: ChangingPages
    samples: list[Sample] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def sample(self) -> Sample:
        sample = Sample(time.monotonic() - self.started, self.app.stats())
        self.samples.append(sample)
        return sample

    def open_window(self) -> None:
        """As a user does from a terminal or the menu: a second start shows the window."""
        second = subprocess.run(
            [sys.executable, "-m", "traywatch", "--config", str(self.app.config)],
            env=self.app.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert "already running" in second.stdout, second.stdout + second.stderr

    def edit_config(self, round_number: int) -> None:
        self.app.config.write_text(
            self.pages.config(extra_name=f"Renamed {round_number}"), encoding="utf-8"
        )

    def wait_for_refreshes(self, count: int, timeout: float) -> Sample:
        deadline = time.monotonic() + timeout
        while True:
            sample = self.sample()
            if sample.stats["view_refreshes"] >= count:
                return sample
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"only {sample.stats['view_refreshes']} view refreshes in {timeout:g} s"
                )
            time.sleep(1.0)
