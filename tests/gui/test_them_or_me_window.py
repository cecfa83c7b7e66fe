"""Them or me in the window and the settings: an endpoint's details say whether the
platform it runs on explains its failure; the platform lists the endpoints on it; the
settings offer the platform's live components to run on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from tests.conftest import fixture_bytes
from traywatch.config.schema import Config, ServiceConfig
from traywatch.core.model import Severity, Snapshot
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.providers.statuspage import StatuspageProvider
from traywatch.store import HistoryStore
from traywatch.ui.window import MainWindow

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
NOW = datetime.now(UTC)


def litware(fixture: str) -> Snapshot:
    return StatuspageProvider().parse(
        fixture_bytes(f"statuspage/{fixture}"), fetched_at=NOW, page_url="https://x.test"
    )


def monitor_with(tmp_path: Path, platform: Snapshot, runs_on: str) -> Monitor:
    store = HistoryStore(tmp_path / "state.sqlite3")
    store.record("Litware", platform)
    store.record(
        "Shop API",
        Snapshot(Severity.MAJOR_OUTAGE, "HTTP 500", NOW, extra={"status": 500, "latency": 0.1}),
    )
    config = Config(
        services=(
            ServiceConfig(name="Litware", url="https://litware.test", kind="statuspage"),
            ServiceConfig(
                name="Shop API",
                url="https://shop.test/health",
                kind="http",
                depends_on=(runs_on,),
            ),
        )
    )
    return Monitor(config, store, RecordingNotifier())


def window_for(monitor: Monitor, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(monitor, settings)
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.bring_up()
    return window


def select(window: MainWindow, name: str) -> None:
    for row in range(window.proxy.rowCount()):
        if window.proxy.data(window.proxy.index(row, 0), Qt.ItemDataRole.UserRole) == name:
            window.table.selectRow(row)
            return
    raise AssertionError(f"no row for {name}")


def test_a_failing_endpoint_says_whether_its_platform_explains_it(
    tmp_path: Path, qtbot: QtBot
) -> None:
    # a recorded GitHub page with Codespaces down, standing in for Litware's
    down = monitor_with(
        tmp_path, litware("githubstatus-summary-major-outage.json"), "Litware: Codespaces"
    )
    window = window_for(down, qtbot, tmp_path)
    select(window, "Shop API")
    text = window.relation.text()
    assert window.relation.isVisible()
    assert (
        "<b>Is it them or me?</b> Litware reports a major outage affecting Codespaces "
        "(Incident with Codespaces)"
    ) in text
    assert "Runs on: Litware: Codespaces (Major outage)" in text
    qtbot.wait(50)  # the layout makes room for the lines
    assert window.relation.height() >= 2 * window.relation.fontMetrics().lineSpacing()
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "window-them-or-me.png"))
    select(window, "Litware")
    assert window.relation.text() == "Your endpoints on it: Shop API (Major outage)"


def test_an_incident_elsewhere_on_the_page_does_not_explain_it(
    tmp_path: Path, qtbot: QtBot
) -> None:
    # the same outage, but the endpoint runs on another component of the page
    calm = monitor_with(
        tmp_path, litware("githubstatus-summary-major-outage.json"), "Litware: Git Operations"
    )
    window = window_for(calm, qtbot, tmp_path)
    select(window, "Shop API")
    assert "No incident reported by Litware yet" in window.relation.text()
    summaries = {
        window.proxy.data(window.proxy.index(row, 1)): window.proxy.data(window.proxy.index(row, 2))
        for row in range(window.proxy.rowCount())
    }
    assert summaries["Shop API"] == "HTTP 500 — No incident reported by Litware yet"
    assert [c.name for c in calm.components("Litware")[:2]] == ["Git Operations", "Webhooks"]
