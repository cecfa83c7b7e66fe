"""The main window: services at a glance, incident timelines, history, uptime."""

from __future__ import annotations

import asyncio
import csv
import json
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import fixture_bytes
from tests.gui.window_support import open_window, rows, settle
from traywatch.config.schema import Config, ServiceConfig
from traywatch.core.model import IncidentUpdate, Severity, failed_snapshot
from traywatch.core.text import plain_text
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.providers.statuspage import StatuspageProvider
from traywatch.store import HistoryStore
from traywatch.ui.safe_text import SafeBrowser, details_html
from traywatch.ui.window import MainWindow

NOW = datetime.now(UTC)


def parse(name: str, at: datetime = NOW):  # type: ignore[no-untyped-def]
    return StatuspageProvider().parse(
        fixture_bytes(f"statuspage/{name}"), fetched_at=at, page_url="https://x.test"
    )


@pytest.fixture
def monitor(tmp_path: Path) -> Monitor:
    """A realistic mix: a major outage with a long timeline, a maintenance, one that
    could not be checked, and the rest green; a week of recorded changes, polled hourly."""
    store = HistoryStore(tmp_path / "state.sqlite3")
    ok = parse("githubstatus-summary-all-operational.json")
    major = parse("githubstatus-summary-major-critical-impact-mixed-components.json")
    week = NOW - timedelta(days=7)
    for hours in range(0, 169):
        page = major if 100 <= hours < 103 or hours >= 160 else ok
        store.record("GitHub", replace(page, fetched_at=week + timedelta(hours=hours)), every=3600)
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
def window(
    monitor: Monitor, qtbot: QtBot, tmp_path: Path, loop: asyncio.AbstractEventLoop
) -> MainWindow:
    return open_window(monitor, qtbot, tmp_path, loop, (1200, 720))


def test_worst_first_filters_and_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    # the verdict in the title, where a task bar shows it
    assert window.windowTitle() == "Trouble at 1 of 8: GitHub — traywatch"
    # a major outage, a maintenance, the calm ones; one not checked yet comes last
    assert rows(window)[:2] == ["GitHub", "Atlassian"]
    assert rows(window)[-1] == "Heroku"
    window.filter_text.setText("service 3")
    assert rows(window) == ["Service 3"]
    window.filter_text.setText("")
    window.filter_state.setCurrentIndex(window.filter_state.findData(Severity.MAINTENANCE))
    assert rows(window) == ["Atlassian"]
    window.filter_state.setCurrentIndex(0)
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window._selected == "Atlassian"


def test_details_of_an_outage(window: MainWindow, loop: asyncio.AbstractEventLoop) -> None:
    window.table.selectRow(0)
    settle(window, loop)
    assert window._selected == "GitHub"
    details = window.details
    assert details.name.text() == "GitHub"
    assert details.state_line.text().startswith("Major outage · ")
    text = details.incidents.toPlainText()
    assert "Active incidents" in text
    assert "started" in text
    assert details.incidents.blocked == []
    groups = [
        details.components.topLevelItem(i) for i in range(details.components.topLevelItemCount())
    ]
    affected = [g.text(0) for g in groups if g.text(1) != "Operational"]
    assert affected  # a component in trouble is listed with its state
    assert details.components.headerItem().text(0).startswith("Component (")
    # observed all week, hourly: the share is of the whole week
    assert details.period.currentText() == "7 days"
    assert details.share.text().endswith("% operational over 7 days")
    details.period.setCurrentText("30 days")
    settle(window, loop)
    # but not of thirty days, most of which nobody observed
    assert "% operational in the 7 d" in details.share.text()
    assert "Not observed" in details.legend.text()


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
    problem = window.details.problem
    assert problem.text() == "Could not check: timed out after 10 s (3 tries, next in 4 min)"
    # in the list, the state once: its column says it, the summary says why
    row = next(
        r for r in range(window.proxy.rowCount()) if window.proxy.index(r, 1).data() == "Heroku"
    )
    assert window.proxy.index(row, 0).data() == "Could not check"
    assert window.proxy.index(row, 2).data() == "timed out after 10 s"
    assert problem.isVisible()
    monitor.offline = True
    window.refresh()
    assert problem.text() == "You are offline: showing the last state that could be checked."
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
    window: MainWindow, monitor: Monitor, tmp_path: Path, loop: asyncio.AbstractEventLoop
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
    page = window.history_page
    window.tabs.setCurrentWidget(page)
    settle(window, loop)
    model = page.model
    assert model.total > 100_000
    assert model.rowCount() == model.PAGE  # paged in, not all at once
    assert page.count.text().startswith(f"{model.total:,} entries")
    model.fetchMore(model.index(0, 0).parent())
    settle(window, loop)
    assert model.rowCount() == 2 * model.PAGE  # the next page, when the view scrolls there
    shown = [model.rows[i].id for i in range(model.rowCount())]
    assert len(set(shown)) == len(shown)
    page.search.setText("Row 99999")
    settle(window, loop)
    assert model.total == 1
    page.search.setText("")
    page.severity.setCurrentIndex(page.severity.findData(Severity.MAJOR_OUTAGE))
    settle(window, loop)
    major = model.total
    assert 10_000 <= major < 10_100
    exported = loop.run_until_complete(window.export_history(tmp_path / "h.csv", "csv"))
    assert exported == major
    with (tmp_path / "h.csv").open(encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == major
    page.service.setCurrentIndex(page.service.findData("Service 0"))
    settle(window, loop)
    loop.run_until_complete(window.export_history(tmp_path / "h.json", "json"))
    records = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    assert {r["service"] for r in records} == {"Service 0"}
    loop.run_until_complete(page.clear())
    settle(window, loop)
    assert model.total == 0


def test_history_reads_run_off_the_gui_thread(
    window: MainWindow, loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: set[int] = set()
    real_page = HistoryStore.history_page
    real_changes = HistoryStore.changes_between

    def page(self: HistoryStore, *args: object) -> object:
        threads.add(threading.get_ident())
        return real_page(self, *args)  # type: ignore[arg-type]

    def changes(self: HistoryStore, *args: object) -> object:
        threads.add(threading.get_ident())
        return real_changes(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(HistoryStore, "history_page", page)
    monkeypatch.setattr(HistoryStore, "changes_between", changes)
    window.reload_history()
    window.refresh()
    settle(window, loop)
    assert threads
    assert threading.get_ident() not in threads


def test_geometry_and_splitters_are_remembered(
    monitor: Monitor, qtbot: QtBot, tmp_path: Path, loop: asyncio.AbstractEventLoop
) -> None:
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    first = MainWindow(monitor, settings)
    qtbot.addWidget(first)
    first.bring_up()
    settle(first, loop)
    first.resize(900, 500)
    first.splitter.setSizes([200, 700])
    first.details.splitter.setSizes([300, 100])
    left, right = first.splitter.sizes()  # as far as the panes' minimum widths allow
    proportion = left / (left + right)
    first.close()
    assert not first.isVisible()  # closing only hides: the app stays in the tray
    second = MainWindow(monitor, settings)
    qtbot.addWidget(second)
    second.bring_up()
    settle(second, loop)
    assert second.size().width() == 900
    left, right = second.splitter.sizes()
    assert left < right
    assert left / (left + right) == pytest.approx(proportion, abs=0.02)
    top, bottom = second.details.splitter.sizes()
    assert top > bottom


def test_the_window_fits_a_1024_by_768_screen(window: MainWindow, qapp: QApplication) -> None:
    screen = window.screen().availableGeometry()
    assert window.frameGeometry().width() <= max(screen.width(), 1024)
    assert window.frameGeometry().height() <= max(screen.height(), 768)
    # the default size is never larger than the screen's free area
    window.settings.remove("window/geometry")
    fresh = MainWindow(window.monitor, window.settings)
    fresh._fit_screen()
    assert fresh.width() <= screen.width()
    assert fresh.height() <= screen.height()
    fresh.deleteLater()


def test_a_new_user_with_nothing_watched_is_told_where_to_start(
    qtbot: QtBot, tmp_path: Path, loop: asyncio.AbstractEventLoop
) -> None:
    """Not an empty pane with a "Check now" button: what to do, and the way to do it."""
    empty = Monitor(Config(services=()), HistoryStore(tmp_path / "s.sqlite3"), RecordingNotifier())
    window = open_window(empty, qtbot, tmp_path, loop, (1000, 700))
    assert window.windowTitle() == "Nothing watched — traywatch"
    assert window.notice.isVisible()
    assert "You watch nothing yet" in window.notice.text()
    assert not window.details.isVisible()
    asked: list[str] = []
    window.edit_requested.connect(asked.append)
    window.notice.linkActivated.emit("traywatch:settings")
    assert asked == [""]  # the settings, as they are
    window.close()  # the hidden pane's width is not remembered as the user's choice
    assert window.settings.value("window/splitter") is None
