"""The main window: services at a glance, incident timelines, history, uptime."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import fixture_bytes
from traywatch.config.schema import Config, ServiceConfig
from traywatch.core.model import IncidentUpdate, Severity, failed_snapshot
from traywatch.core.text import plain_text
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.providers.statuspage import StatuspageProvider
from traywatch.store import HistoryStore
from traywatch.ui.safe_text import SafeBrowser, details_html
from traywatch.ui.window import MainWindow

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
NOW = datetime.now(UTC)


def parse(name: str, at: datetime = NOW):  # type: ignore[no-untyped-def]
    return StatuspageProvider().parse(
        fixture_bytes(f"statuspage/{name}"), fetched_at=at, page_url="https://x.test"
    )


@pytest.fixture
def monitor(tmp_path: Path) -> Monitor:
    """A realistic mix: a major outage with a long timeline, a maintenance, one that
    could not be checked, and the rest green; a week of recorded changes."""
    store = HistoryStore(tmp_path / "state.sqlite3")
    ok = parse("githubstatus-summary-all-operational.json")
    week = NOW - timedelta(days=7)
    for hours, name in (
        (0, "githubstatus-summary-all-operational.json"),
        (100, "githubstatus-summary-major-critical-impact-mixed-components.json"),
        (103, "githubstatus-summary-all-operational.json"),
        (160, "githubstatus-summary-major-critical-impact-mixed-components.json"),
    ):
        store.record("GitHub", parse(name, week + timedelta(hours=hours)))
    store.record("Atlassian", parse("githubstatus-summary-maintenance-in-progress.json"))
    store.record("Heroku", failed_snapshot("timed out after 10 s", NOW))
    names = ["GitHub", "Atlassian", "Heroku"]
    for i in range(5):
        store.record(f"Service {i}", ok)
        names.append(f"Service {i}")
    config = Config(
        services=tuple(ServiceConfig(name=n, url=f"https://{i}.test") for i, n in enumerate(names))
    )
    return Monitor(config, store, RecordingNotifier())


@pytest.fixture
def window(monitor: Monitor, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    main = MainWindow(monitor, settings)
    qtbot.addWidget(main)
    main.resize(1200, 720)
    main.bring_up()
    return main


def rows(window: MainWindow) -> list[str]:
    return [window.proxy.data(window.proxy.index(r, 1)) for r in range(window.proxy.rowCount())]


def test_worst_first_filters_and_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    assert rows(window)[:2] == ["GitHub", "Heroku"]  # a major outage, then "could not check"
    assert rows(window)[2] == "Atlassian"
    window.filter_text.setText("service 3")
    assert rows(window) == ["Service 3"]
    window.filter_text.setText("")
    window.filter_state.setCurrentIndex(window.filter_state.findData(Severity.MAINTENANCE))
    assert rows(window) == ["Atlassian"]
    window.filter_state.setCurrentIndex(0)
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window._selected == "Heroku"


def test_details_of_an_outage(window: MainWindow) -> None:
    window.table.selectRow(0)
    assert window._selected == "GitHub"
    assert "GitHub</b> — Major outage" in window.title.text()
    text = window.incidents.toPlainText()
    assert "Active incidents" in text
    assert "started" in text
    assert window.incidents.blocked == []
    groups = [
        window.components.topLevelItem(i) for i in range(window.components.topLevelItemCount())
    ]
    affected = [g.text(0) for g in groups if g.text(1) != "Operational"]
    assert affected  # a component in trouble is listed with its state
    assert window.share.text().endswith("% operational over 7 days")
    window.period.setCurrentText("30 days")
    assert window.share.text().endswith("over 30 days")


def test_a_service_that_could_not_be_checked_explains_itself(
    window: MainWindow, monitor: Monitor
) -> None:
    from traywatch.poller.http import Fetcher
    from traywatch.poller.scheduler import Poller

    monitor.poller = Poller(monitor.config, Fetcher())
    heroku = monitor.poller.states["Heroku"]
    heroku.snapshot = failed_snapshot("timed out after 10 s", NOW)
    heroku.consecutive_failures = 3
    # from the moment of this test, not of the module's import: a slow run takes minutes
    heroku.next_poll_at = datetime.now(UTC) + timedelta(minutes=4, seconds=30)
    window.refresh()
    window.table.selectRow(1)
    assert window._selected == "Heroku"
    assert window.problem.text() == "Could not check: timed out after 10 s (3 tries, next in 4 min)"
    monitor.offline = True
    window.refresh()
    assert window.problem.text() == "You are offline: showing the last state that could be checked."
    assert window.notice.text().startswith("You are offline")


def test_new_updates_are_marked(window: MainWindow) -> None:
    snapshot = parse("githubstatus-summary-major-outage.json")
    seen = snapshot.incidents[0].updates[1].at
    html = details_html(snapshot, NOW, seen)
    assert html.count("NEW") == 1  # only the newest update came after the last look


def test_hostile_incident_text_is_shown_safely(qapp: QApplication, qtbot: QtBot) -> None:
    hostile = (
        "<script>alert('x')</script><img src='https://evil.test/pixel.png'>"
        '<a href="javascript:alert(1)">click</a>'
        + "<div>" * 5000
        + "deep"
        + "</div>" * 5000
        + "<p>"
        + "A" * 1_000_000
        + "</p> see https://status.test/incidents/1"
    )
    text = plain_text(hostile)
    snapshot = parse("githubstatus-summary-major-outage.json")
    incident = snapshot.incidents[0]
    incident = replace(incident, updates=(IncidentUpdate(NOW, "investigating", text),))
    html = details_html(replace(snapshot, incidents=(incident,)), NOW, None)
    assert "<img" not in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "cut:" in html  # the megabyte is cut for display
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.show_html(html)
    assert browser.blocked == []  # nothing was fetched
    clicked: list[str] = []
    browser.link_activated.connect(clicked.append)
    browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    browser.anchorClicked.emit(QUrl("https://status.test/incidents/1"))
    assert clicked == ["https://status.test/incidents/1"]
    # Even raw hostile HTML handed to the widget loads nothing from the network.
    browser.show_html(
        "<img src='https://evil.test/x.png'><p style=\"background-image: "
        "url('https://evil.test/b.png')\">text</p>"
    )
    browser.show()
    qapp.processEvents()
    browser.grab()  # lay out and paint: when the widget would load images
    assert browser.blocked  # it asked...
    assert all(u.startswith("https://evil.test/") for u in browser.blocked)  # ...and got nothing


def test_history_pages_filters_exports_and_clears(
    window: MainWindow, monitor: Monitor, tmp_path: Path
) -> None:
    db = monitor.store._db
    start = NOW - timedelta(days=20)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO history (at, service, event, severity, text) VALUES (?, ?, ?, ?, ?)",
        [
            (
                (start + timedelta(seconds=10 * i)).isoformat(),
                f"Service {i % 5}",
                "new_incident",
                "degraded" if i % 10 else "major_outage",
                f"Row {i}",
            )
            for i in range(100_000)
        ],
    )
    db.execute("COMMIT")
    window.reload_history()
    assert window.history.total > 100_000
    page = window.history.PAGE
    assert window.history.rowCount() == page  # paged in, not all at once
    window.history.fetchMore(window.history.index(0, 0).parent())
    assert window.history.rowCount() == 2 * page  # the next page, when the view scrolls there
    window.history_search.setText("Row 99999")
    assert window.history.total == 1
    window.history_search.setText("")
    window.history_severity.setCurrentIndex(window.history_severity.findData(Severity.MAJOR_OUTAGE))
    major = window.history.total
    assert 10_000 <= major < 10_100
    exported = window.export_history(tmp_path / "h.csv", "csv")
    assert exported == major
    with (tmp_path / "h.csv").open(encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == major
    window.history_service.setCurrentIndex(window.history_service.findData("Service 0"))
    window.export_history(tmp_path / "h.json", "json")
    records = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    assert {r["service"] for r in records} == {"Service 0"}
    window.clear_history()
    assert window.history.total == 0


def test_geometry_and_splitters_are_remembered(
    monitor: Monitor, qtbot: QtBot, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    first = MainWindow(monitor, settings)
    qtbot.addWidget(first)
    first.bring_up()
    first.resize(900, 500)
    first.splitter.setSizes([200, 700])
    first.close()
    assert not first.isVisible()  # closing only hides: the app stays in the tray
    second = MainWindow(monitor, settings)
    qtbot.addWidget(second)
    assert second.size().width() == 900
    assert second.splitter.sizes()[0] < second.splitter.sizes()[1]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(window: MainWindow, qapp: QApplication, scheme: str) -> None:
    palette = QPalette()
    if scheme == "dark":
        for role, colour in (
            (QPalette.ColorRole.Window, "#242424"),
            (QPalette.ColorRole.WindowText, "#f0f0f0"),
            (QPalette.ColorRole.Base, "#1e1e1e"),
            (QPalette.ColorRole.AlternateBase, "#2a2a2a"),
            (QPalette.ColorRole.Text, "#f0f0f0"),
            (QPalette.ColorRole.Button, "#303030"),
            (QPalette.ColorRole.ButtonText, "#f0f0f0"),
            (QPalette.ColorRole.Highlight, "#3584e4"),
        ):
            palette.setColor(role, QColor(colour))
    original = window.palette()
    window.setPalette(palette)
    try:
        window.table.selectRow(0)
        ARTIFACTS.mkdir(exist_ok=True)
        assert window.grab().save(str(ARTIFACTS / f"window-{scheme}.png"))
        window.tabs.setCurrentIndex(1)
        assert window.grab().save(str(ARTIFACTS / f"window-history-{scheme}.png"))
    finally:
        window.setPalette(original)
