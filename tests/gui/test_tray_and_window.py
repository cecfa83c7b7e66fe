"""Widget tests of the tray controller, the window and the icons (pytest-qt)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from tests.conftest import fixture_bytes
from traywatch.config.schema import Config, ServiceConfig
from traywatch.core.health import TrayState
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.providers.statuspage import StatuspageProvider
from traywatch.store import HistoryStore
from traywatch.ui.icons import state_icon
from traywatch.ui.tray import TrayController

NOW = datetime.now(UTC)


def stored_monitor(tmp_path: Path, states: dict[str, str]) -> Monitor:
    """A monitor whose store remembers one recorded payload per service (no network)."""
    store = HistoryStore(tmp_path / "state.sqlite3")
    for name, fixture in states.items():
        snapshot = StatuspageProvider().parse(
            fixture_bytes(f"statuspage/{fixture}"), fetched_at=NOW, page_url="https://x.test"
        )
        store.record(name, snapshot)
    config = Config(
        services=tuple(ServiceConfig(name=n, url=f"https://{n.lower()}.test") for n in states)
    )
    return Monitor(config, store, RecordingNotifier())


@pytest.fixture
def monitor(tmp_path: Path) -> Monitor:
    return stored_monitor(
        tmp_path,
        {
            "GitHub": "githubstatus-summary-major-outage.json",
            "Heroku": "githubstatus-summary-all-operational.json",
            "Atlassian": "githubstatus-summary-maintenance-in-progress.json",
        },
    )


def make_tray(monitor: Monitor) -> tuple[TrayController, list[str]]:
    calls: list[str] = []
    tray = TrayController(
        monitor,
        show_window=lambda: calls.append("window"),
        open_settings=lambda: calls.append("settings"),
        quit_app=lambda: calls.append("quit"),
    )
    return tray, calls


def test_the_stored_state_is_shown_at_once(qapp: QApplication, monitor: Monitor) -> None:
    tray, _ = make_tray(monitor)
    assert tray.state is TrayState.MAJOR_OUTAGE
    tip = tray.icon.toolTip().splitlines()
    assert tip[0] == (
        "GitHub — Major outage (stale): Codespaces (incident: Incident with Codespaces)"
    )
    assert tip[1] == "Atlassian — Maintenance (stale): Codespaces Scheduled Maintenance"
    assert tip[-1].startswith("Checked ")
    titles = [entry.menu.title() for entry in tray.service_menus]  # worst first
    assert titles == ["GitHub — Major outage", "Atlassian — Maintenance", "Heroku — Operational"]
    # the menu opens with the verdict on all of them, readable (not a greyed entry)
    assert tray.headline.text() == "Trouble at 1 of 3: GitHub"
    assert tray.headline.isEnabled()
    assert tray.headline.font().bold()


def test_menu_actions(qapp: QApplication, monitor: Monitor) -> None:
    tray, calls = make_tray(monitor)
    tray.headline.trigger()  # the verdict opens the window that explains it
    assert calls == ["window"]
    calls.clear()
    tray.open_action.trigger()
    tray.settings_action.trigger()
    tray.quit_action.trigger()
    assert calls == ["window", "settings", "quit"]
    github, _, heroku = tray.service_menus
    assert github.when_resolved.isEnabled()
    assert not heroku.when_resolved.isEnabled()  # nothing to be resolved
    github.when_resolved.trigger()
    assert monitor.policy.wants_resolution("GitHub")


def test_snoozing_takes_a_service_out_of_the_icon(qapp: QApplication, monitor: Monitor) -> None:
    tray, _ = make_tray(monitor)
    github = tray.service_menus[0]
    github.snooze_hour.trigger()
    assert monitor.policy.is_snoozed("GitHub", datetime.now(UTC) + timedelta(minutes=59))
    assert tray.state is TrayState.MAINTENANCE
    assert github.menu.title() == "GitHub — Major outage (snoozed)"
    assert github.unsnooze.isVisible()
    assert not github.snooze_hour.isVisible()
    github.unsnooze.trigger()
    assert tray.state is TrayState.MAJOR_OUTAGE


def test_pausing_notifications(qapp: QApplication, tmp_path: Path) -> None:
    calm = stored_monitor(tmp_path, {"Heroku": "githubstatus-summary-all-operational.json"})
    tray, _ = make_tray(calm)
    assert tray.state is TrayState.OPERATIONAL
    assert not tray.resume_action.isEnabled()
    plain = tray.icon.icon().pixmap(32, 32).toImage()
    tray.pause_hour.trigger()
    assert tray.state is TrayState.OPERATIONAL  # the state stays; the pause is drawn over it
    paused = tray.icon.icon().pixmap(32, 32).toImage()
    assert paused != plain
    assert paused == _image(TrayState.OPERATIONAL, paused=True)
    assert "Notifications paused until" in tray.icon.toolTip()
    tray.resume_action.trigger()
    assert tray.state is TrayState.OPERATIONAL
    assert tray.icon.icon().pixmap(32, 32).toImage() == plain


def test_a_pause_does_not_hide_an_outage(qapp: QApplication, monitor: Monitor) -> None:
    tray, _ = make_tray(monitor)
    tray.pause_hour.trigger()
    assert tray.state is TrayState.MAJOR_OUTAGE
    icon = tray.icon.icon().pixmap(32, 32).toImage()
    assert icon == _image(TrayState.MAJOR_OUTAGE, incidents=True, paused=True)
    # still red: the outage's colour is where it was
    top = icon.pixelColor(icon.width() // 2, icon.height() * 5 // 32)
    assert top.red() > 180
    assert top.green() < 80


def _image(state: TrayState, size: int = 32, **kwargs: object) -> QImage:
    return state_icon(state, **kwargs).pixmap(size, size).toImage()  # type: ignore[arg-type]


def test_every_state_has_its_own_icon_at_every_size(qapp: QApplication) -> None:
    for size in (16, 22, 32, 64):
        images = {state: _image(state, size) for state in TrayState}
        for state, image in images.items():
            assert not image.isNull(), state
            assert image.width() >= size
        distinct = {bytes(image.constBits()) for image in images.values()}
        assert len(distinct) == len(TrayState)


def test_shapes_differ_not_only_colours(qapp: QApplication) -> None:
    """In grey, as a monochrome panel shows them, the states still differ."""
    greys = {
        state: bytes(_image(state).convertToFormat(QImage.Format.Format_Grayscale8).constBits())
        for state in TrayState
    }
    assert len(set(greys.values())) == len(TrayState)


def test_incident_marker_and_palette(qapp: QApplication) -> None:
    assert _image(TrayState.DEGRADED) != _image(TrayState.DEGRADED, incidents=True)
    assert _image(TrayState.DEGRADED, incidents=True) != _image(
        TrayState.DEGRADED, incidents=True, paused=True
    )
    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    light.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    assert _image(TrayState.UNKNOWN, palette=light) != _image(TrayState.UNKNOWN, palette=dark)
    # the coloured states take their palette's measured colours (tests/gui/test_palette.py)
    assert _image(TrayState.OPERATIONAL, palette=light) != _image(
        TrayState.OPERATIONAL, palette=dark
    )
    assert _image(TrayState.OPERATIONAL, palette=light) == _image(
        TrayState.OPERATIONAL, palette=QPalette(light)
    )
