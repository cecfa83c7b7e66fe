"""What one glance says after the watchlist changes: never an all-clear for services
not checked since (seen: "Watching 1 service — All systems operational" while three
were in major outage)."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.conftest import fixture_bytes
from tests.integration.helpers import until
from tests.support.server import Handler, RequestHandler, StatusServer
from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.core.health import TrayState
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.store import HistoryStore

SUMMARY = "/api/v2/summary.json"
OPERATIONAL = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
MAJOR = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")


def service(
    name: str, server: StatusServer, path: str, components: tuple[str, ...] | None = None
) -> ServiceConfig:
    return ServiceConfig(name=name, url=server.url(path), kind="statuspage", components=components)


async def test_a_settings_change_never_shows_a_false_all_clear(
    status_server: StatusServer, tmp_path: Path
) -> None:
    gate = threading.Event()  # holds the answers of what the change added

    def held(body: bytes) -> Handler:
        def handler(h: RequestHandler) -> None:
            gate.wait(10)
            h.send_bytes(body)

        return handler

    for path in ("/a", "/b", "/c"):
        status_server.serve(path + SUMMARY, MAJOR)
    status_server.route("/c2" + SUMMARY, held(MAJOR))
    status_server.route("/d" + SUMMARY, held(OPERATIONAL))
    settings = Settings(timeout=15)
    first = Config(
        settings=settings,
        services=tuple(service(n, status_server, f"/{n.lower()}") for n in "ABC"),
    )
    store = HistoryStore(tmp_path / "state.sqlite3")
    notifier = RecordingNotifier()
    monitor = Monitor(first, store, notifier)
    await monitor.start()
    try:
        await until(lambda: len(notifier.sent) == 1)
        assert monitor.tray_state() == (TrayState.MAJOR_OUTAGE, True)

        # A renamed (the same page, watched the same way), B watched for one component
        # only, C moved to another address, D added
        second = Config(
            settings=settings,
            services=(
                service("Renamed A", status_server, "/a"),
                service("B", status_server, "/b", components=("Codespaces",)),
                service("C", status_server, "/c2"),
                service("D", status_server, "/d"),
            ),
        )
        await monitor.reconfigure(second)
        views = {v.name: v for v in monitor.views()}
        assert views["Renamed A"].severity.label == "Major outage"  # carried by identity
        assert views["C"].label == "Checking…"  # not the old address's state
        assert views["D"].label == "Checking…"
        tip = monitor.tooltip()
        assert "All systems operational" not in tip
        assert "D — Checking…" in tip.splitlines()
        assert "C — Checking…" in tip.splitlines()
        assert monitor.tray_state()[0] is TrayState.MAJOR_OUTAGE

        gate.set()
        await until(lambda: {v.name for v in monitor.views() if v.checked_at} >= {"C", "D"})
        await until(lambda: any(n.title == "Now watching D" for n in notifier.sent))
        told = [n for n in notifier.sent[1:] if n.event == "current_state"]
        assert all("All systems operational" not in n.body for n in told)
        assert next(n for n in told if n.title == "Now watching D").body == "Operational"
        assert "All systems operational" not in monitor.tooltip()
    finally:
        gate.set()
        await monitor.stop()
        store.close()
