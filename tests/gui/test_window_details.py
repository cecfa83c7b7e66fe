"""The window on a realistic watchlist (tests/gui/scenes.py): an endpoint's last answer
and latency, the uptime bar's unobserved time, hover and click, folded incidents, the
history growing while it is open, and the right-click menu."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from tests.gui import scenes
from tests.gui.window_support import open_window, select, settle
from traywatch.core.model import Incident, IncidentUpdate, Severity
from traywatch.monitor import Monitor
from traywatch.notify.policy import Notification
from traywatch.ui.window import MainWindow


@pytest.fixture
def monitor(tmp_path: Path) -> Monitor:
    return scenes.build(tmp_path)


@pytest.fixture
def window(
    monitor: Monitor, qtbot: QtBot, tmp_path: Path, loop: asyncio.AbstractEventLoop
) -> MainWindow:
    return open_window(monitor, qtbot, tmp_path, loop, (1024, 768))


def test_an_endpoint_shows_its_last_answer_and_its_latency(
    window: MainWindow, loop: asyncio.AbstractEventLoop
) -> None:
    select(window, "Shop API", loop)
    details = window.details
    assert details.endpoint.isVisible()
    assert not details.components.isVisible()  # an endpoint has none
    assert details.last_response.text().startswith("Last response: HTTP 502 in ")
    samples = details.sparkline._samples
    assert len(samples) == 60
    assert samples[-1].status == 502
    assert any(s.seconds is None for s in samples)  # the timeouts: no answer
    assert details.latency.text().startswith("Last 60 checks: median ")
    assert "failed" in details.latency.text()
    # its uptime: three hours observed, shown as a day with the rest not observed
    assert details.period.currentText() == "24 hours"
    assert details.share.text().endswith("% operational in the 3 h observed")
    assert "Not observed" in details.legend.text()
    select(window, "Billing API", loop)
    assert details.last_response.text().startswith("Last response: HTTP 200 in ")
    assert "failed" not in details.latency.text()
    # a platform has no such section
    select(window, "GitHub", loop)
    assert not details.endpoint.isVisible()
    assert details.components.isVisible()


def test_the_uptime_bar_says_what_each_stretch_was_and_a_click_shows_the_incident(
    window: MainWindow, loop: asyncio.AbstractEventLoop, qtbot: QtBot
) -> None:
    select(window, "GitHub", loop)
    bar = window.details.timeline
    # observed three days with a night off, over seven: most of it not observed
    assert "% operational in the 2 d" in window.details.share.text()
    parts = bar._segments
    unobserved = [p for p in parts if not p.observed]
    assert len(unobserved) == 2  # before the first start, and the night off
    assert bar.describe(unobserved[-1]).startswith("Not observed\n")
    # the outage two days ago: its state, when, and its incident
    earlier = next(p for p in parts if p.severity is Severity.MAJOR_OUTAGE)
    said = bar.describe(earlier).splitlines()
    assert said[0] == "Major outage"
    assert " to " in said[1]
    assert said[2] == "Incident: Incident with GitHub.com"
    # hover and click where it is drawn
    middle = earlier.start + (earlier.end - earlier.start) / 2
    x = bar._x(middle)
    assert bar.segment_at(x) == earlier
    clicked: list[str] = []
    bar.incident_clicked.connect(clicked.append)
    position = QPointF(x, 5)
    press = QMouseEvent(
        QMouseEvent.Type.MouseButtonPress,
        position,
        bar.mapToGlobal(position),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(bar, press)
    (incident_id,) = clicked
    # the click unfolded it under "Earlier" and scrolled there
    text = window.details.incidents.toPlainText()
    assert "Earlier, in the last 7 days" in text
    assert "Incident with GitHub.com" in text
    assert incident_id in window.details._expanded
    qtbot.wait(10)


def test_many_incidents_are_folded_newest_first(
    window: MainWindow, monitor: Monitor, loop: asyncio.AbstractEventLoop
) -> None:
    now = datetime.now(UTC)
    many = tuple(
        Incident(
            f"i{n}",
            f"Incident number {n}",
            Severity.DEGRADED,
            "investigating",
            started_at=now - timedelta(hours=10 - n),
            updates=(IncidentUpdate(now, "investigating", f"text of {n}"),),
        )
        for n in range(8)
    )
    assert monitor.poller is not None
    state = monitor.poller.states["GitHub"]
    assert state.last_good is not None
    state.last_good = state.snapshot = replace(state.last_good, incidents=many)
    window.refresh()
    select(window, "GitHub", loop)
    browser = window.details.incidents
    text = browser.toPlainText()
    assert "Active incidents (8)" in text
    assert text.index("Incident number 7") < text.index("Incident number 6")  # newest first
    assert "text of 7" in text  # the two newest in full
    assert "text of 6" in text
    assert "text of 5" not in text  # the others folded to a line
    assert "▸ Incident number 5" in text
    # unfold one
    anchor = window.details._anchors["i5"]
    browser.anchorClicked.emit(browser.source().fromUserInput(f"traywatch:unfold/{anchor}"))
    assert "text of 5" in browser.toPlainText()
    assert "text of 4" not in browser.toPlainText()


def test_the_history_grows_while_it_is_open(
    window: MainWindow, monitor: Monitor, loop: asyncio.AbstractEventLoop
) -> None:
    page = window.history_page
    window.tabs.setCurrentWidget(page)
    settle(window, loop)
    before = page.model.total
    top = page.model.rows[0]
    now = datetime.now(UTC)
    monitor.store.record_notification(
        Notification(
            now, "Stripe", "new_incident", Severity.DEGRADED, "Stripe: Slow payouts", "Degraded"
        )
    )
    window.refresh()  # what the monitor's change notice does
    settle(window, loop)
    assert page.model.total == before + 1
    assert page.model.rows[0].text == "Stripe: Slow payouts — Degraded"
    assert page.model.rows[1] == top
    assert page.model.data(page.model.index(0, 0)).startswith("Today ")
    assert page.model.data(page.model.index(0, 0)).endswith(" · just now")
    assert page.model.data(page.model.index(0, 2)) == "New incident"
    assert page.count.text().startswith(f"{before + 1} entries")
    # nothing new: nothing added twice
    window.refresh()
    settle(window, loop)
    assert page.model.total == before + 1
    # filters in one row, above a table that takes the rest of the height
    filters = [page.service, page.severity, page.since, page.until, page.search]
    assert len({w.geometry().center().y() for w in filters}) == 1
    assert page.table.height() > page.height() * 0.75


def test_right_click_offers_the_tray_menus_actions(
    window: MainWindow, monitor: Monitor, loop: asyncio.AbstractEventLoop, qtbot: QtBot
) -> None:
    select(window, "Heroku", loop)
    row = window.table.currentIndex().row()
    position = window.table.visualRect(window.proxy.index(row, 1)).center()
    window.table.customContextMenuRequested.emit(position)
    menu = window.context_menu
    assert menu is not None
    assert menu.name == "Heroku"
    labels = [a.text() for a in menu.menu.actions() if not a.isSeparator()]
    assert labels == [
        "Open status page",
        "Snooze for 1 hour",
        "Snooze for 1 day",
        "End snooze",
        "Notify me when resolved",
        "Edit…",
        "Remove…",
    ]
    assert menu.menu.isVisible()
    opened: list[str] = []
    edited: list[str] = []
    removed: list[str] = []
    window.open_url.connect(opened.append)
    window.edit_requested.connect(edited.append)
    window.remove_requested.connect(removed.append)
    menu.open_page.trigger()
    assert menu.edit is not None
    assert menu.remove is not None
    menu.edit.trigger()
    menu.remove.trigger()
    assert (opened, edited, removed) == (["https://status.heroku.com"], ["Heroku"], ["Heroku"])
    assert menu.when_resolved.isEnabled()  # it is in trouble
    menu.when_resolved.trigger()
    assert monitor.policy.wants_resolution("Heroku")
    menu.snooze_hour.trigger()
    assert monitor.policy.is_snoozed("Heroku", datetime.now(UTC) + timedelta(minutes=59))
    menu.menu.close()
    window.refresh()  # what the monitor's change notice does
    # right-clicked again, the menu knows it is snoozed and asked for
    window.table.customContextMenuRequested.emit(position)
    again = window.context_menu
    assert again is not None
    assert again is not menu
    assert again.unsnooze.isVisible()
    assert not again.snooze_hour.isVisible()
    assert again.when_resolved.isChecked()
    again.menu.close()
    # an empty spot offers nothing
    window.table.customContextMenuRequested.emit(QPoint(5, window.table.height() - 5))
    assert window.context_menu is again


def test_a_notification_opens_the_window_at_its_service_and_incident(
    window: MainWindow, monitor: Monitor, loop: asyncio.AbstractEventLoop
) -> None:
    window.filter_text.setText("Stripe")  # a filter that would hide it
    window.hide()
    snapshot = monitor.snapshot("GitHub")
    assert snapshot is not None
    incident = snapshot.active_incidents[0]
    window.bring_up("GitHub", incident.id)
    settle(window, loop)
    assert window.isVisible()
    assert window._selected == "GitHub"
    assert window.filter_text.text() == ""
    assert incident.id in window.details._expanded
    assert window.show_service("Nobody") is False


def test_incident_html_from_a_page_is_shown_safely(
    window: MainWindow, monitor: Monitor, loop: asyncio.AbstractEventLoop, qtbot: QtBot
) -> None:
    """An update with a script, a style and a link, through the provider's parse into the
    pane: no script text, the link's target kept, opened on click and only http(s)."""
    import json

    from tests.conftest import fixture_bytes
    from traywatch.providers.statuspage import StatuspageProvider

    page = json.loads(fixture_bytes("statuspage/githubstatus-summary-major-outage.json"))
    page["incidents"][0]["incident_updates"][0]["body"] = (
        "<p>We are <b>investigating</b>.<script>alert('x')</script>"
        "<style>p { color: red }</style></p>"
        '<p>See the <a href="https://status.test/incidents/1">incident page</a> or '
        '<a href="javascript:alert(1)">this</a>.</p>'
    )
    hostile = StatuspageProvider().parse(
        json.dumps(page).encode(), fetched_at=datetime.now(UTC), page_url="https://x.test"
    )
    assert monitor.poller is not None
    state = monitor.poller.states["GitHub"]
    state.snapshot = state.last_good = hostile
    window.refresh()
    select(window, "GitHub", loop)
    browser = window.details.incidents
    text = browser.toPlainText()
    assert "We are investigating." in text
    assert "alert" not in text
    assert "color: red" not in text
    assert "incident page (https://status.test/incidents/1)" in text
    assert "javascript" not in browser.toHtml()
    assert browser.blocked == []
    opened: list[str] = []
    window.open_url.connect(opened.append)
    browser.anchorClicked.emit(browser.source().fromUserInput("javascript:alert(1)"))
    browser.anchorClicked.emit(browser.source().fromUserInput("https://status.test/incidents/1"))
    assert opened == ["https://status.test/incidents/1"]  # on click, and only http(s)
    browser.highlighted.emit(browser.source().fromUserInput("https://status.test/incidents/1"))
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert QToolTip.text() == "https://status.test/incidents/1"  # where it goes, on hover
    QToolTip.hideText()
