"""The tray menu: services worst first (and moved when their state changes), each with
its state's icon and a "Details…" entry that opens the window at it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.conftest import fixture_bytes
from traywatch.config.schema import Config, ServiceConfig
from traywatch.core.model import Severity
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.providers.statuspage import StatuspageProvider
from traywatch.store import HistoryStore
from traywatch.ui.icons import severity_icon
from traywatch.ui.tray import TrayController

NOW = datetime.now(UTC)
PAGES = {
    "Calm": "githubstatus-summary-all-operational.json",
    "Down": "githubstatus-summary-major-outage.json",
    "Planned": "githubstatus-summary-maintenance-in-progress.json",
    "Slow": "githubstatus-summary-minor-degraded-performance.json",
}


def parse(fixture: str):  # type: ignore[no-untyped-def]
    return StatuspageProvider().parse(
        fixture_bytes(f"statuspage/{fixture}"), fetched_at=NOW, page_url="https://x.test"
    )


def monitor_of(tmp_path: Path, states: dict[str, str]) -> Monitor:
    store = HistoryStore(tmp_path / "state.sqlite3")
    for name, page in states.items():
        store.record(name, parse(PAGES[page]))
    config = Config(
        services=tuple(ServiceConfig(name=n, url=f"https://{n.lower()}.test") for n in states)
    )
    return Monitor(config, store, RecordingNotifier())


def image(icon: object) -> QImage:
    return icon.pixmap(16, 16).toImage()  # type: ignore[attr-defined, no-any-return]


def test_services_worst_first_with_state_icons_and_details(
    qapp: QApplication, tmp_path: Path
) -> None:
    monitor = monitor_of(
        tmp_path, {"Alpha": "Calm", "Beta": "Planned", "Gamma": "Down", "Delta": "Slow"}
    )
    shown: list[str] = []
    tray = TrayController(
        monitor,
        show_window=lambda: None,
        open_settings=lambda: None,
        quit_app=lambda: None,
        show_service=shown.append,
    )
    names = [entry.name for entry in tray.service_menus]
    assert names == ["Gamma", "Delta", "Beta", "Alpha"]  # major, degraded, maintenance, calm
    # the menu itself lists them so, between the headline and "Refresh now"
    actions = [a.text() for a in tray.menu.actions() if a.menu() is not None]
    assert [a.split(" — ")[0] for a in actions[: len(names)]] == names
    severities = {
        "Gamma": Severity.MAJOR_OUTAGE,
        "Delta": Severity.DEGRADED,
        "Beta": Severity.MAINTENANCE,
        "Alpha": Severity.OPERATIONAL,
    }
    for entry in tray.service_menus:
        assert image(entry.menu.icon()) == image(severity_icon(severities[entry.name]))
    delta = next(e for e in tray.service_menus if e.name == "Delta")
    assert delta.details is not None
    assert delta.menu.actions()[0] is delta.details  # first: what people want most
    delta.details.trigger()
    assert shown == ["Delta"]

    # Gamma recovers, Alpha goes down: the order follows
    assert monitor.poller is None
    monitor._stored["Gamma"] = parse(PAGES["Calm"])
    monitor._stored["Alpha"] = parse(PAGES["Down"])
    tray.refresh_view()
    assert [entry.name for entry in tray.service_menus] == ["Alpha", "Delta", "Beta", "Gamma"]
    actions = [a.text() for a in tray.menu.actions() if a.menu() is not None]
    assert [a.split(" — ")[0] for a in actions[:4]] == ["Alpha", "Delta", "Beta", "Gamma"]
    alpha = tray.service_menus[0]
    assert image(alpha.menu.icon()) == image(severity_icon(Severity.MAJOR_OUTAGE))
    assert alpha.menu.title() == "Alpha — Major outage"


def test_an_endpoint_opens_its_address_not_a_status_page(
    qapp: QApplication, tmp_path: Path
) -> None:
    store = HistoryStore(tmp_path / "state.sqlite3")
    config = Config(
        services=(
            ServiceConfig(name="API", url="https://api.test/health", kind="http"),
            ServiceConfig(name="Page", url="https://page.test"),
        )
    )
    monitor = Monitor(config, store, RecordingNotifier())
    tray = TrayController(
        monitor, show_window=lambda: None, open_settings=lambda: None, quit_app=lambda: None
    )
    labels = {entry.name: entry.open_page.text() for entry in tray.service_menus}
    assert labels == {"API": "Open address", "Page": "Open status page"}
    assert all(entry.details is None for entry in tray.service_menus)  # no window to open
