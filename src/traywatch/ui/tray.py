"""The tray icon, its tooltip and its menu: a thin view over the Monitor."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from traywatch.core.health import TrayState
from traywatch.core.model import Severity
from traywatch.monitor import Monitor
from traywatch.ui.icons import severity_icon, state_icon

log = logging.getLogger(__name__)


def tomorrow_morning(now: datetime) -> datetime:
    local = now.astimezone()
    return (local + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)


class _ServiceMenu:
    """One service's submenu: open its page, snooze, notify when resolved."""

    def __init__(self, tray: TrayController, name: str, url: str) -> None:
        self.name = name
        self.url = url
        self.menu = QMenu(name)
        self.open_page = self.menu.addAction("Open status page")
        self.open_page.triggered.connect(lambda: tray.open_url(url))
        self.menu.addSeparator()
        self.snooze_hour = self.menu.addAction("Snooze for 1 hour")
        self.snooze_hour.triggered.connect(lambda: tray.snooze(name, timedelta(hours=1)))
        self.snooze_day = self.menu.addAction("Snooze for 1 day")
        self.snooze_day.triggered.connect(lambda: tray.snooze(name, timedelta(days=1)))
        self.unsnooze = self.menu.addAction("End snooze")
        self.unsnooze.triggered.connect(lambda: tray.snooze(name, None))
        self.when_resolved = self.menu.addAction("Notify me when resolved")
        self.when_resolved.setCheckable(True)
        self.when_resolved.toggled.connect(
            lambda checked: tray.monitor.notify_when_resolved(name, checked)
        )


class TrayController(QObject):
    def __init__(
        self,
        monitor: Monitor,
        *,
        show_window: Callable[[], None],
        open_settings: Callable[[], None],
        quit_app: Callable[[], None],
    ) -> None:
        super().__init__()
        self.monitor = monitor
        self._show_window = show_window
        self.icon = QSystemTrayIcon(self)
        self.icon.activated.connect(self._activated)
        self.state: TrayState | None = None
        self._icon_key: tuple[TrayState, bool, bool] | None = None
        self.refreshes = 0

        menu = QMenu()
        self.headline = menu.addAction("")
        self.headline.setEnabled(False)
        menu.addSeparator()
        self.service_menus: list[_ServiceMenu] = []
        self._services_end = menu.addSeparator()
        self.menu = menu
        self._build_service_menus()
        self.refresh_action = menu.addAction("Refresh now")
        self.refresh_action.triggered.connect(lambda: monitor.refresh())
        self.open_action = menu.addAction("Open traywatch")
        self.open_action.triggered.connect(show_window)
        self.settings_action = menu.addAction("Settings…")
        self.settings_action.triggered.connect(open_settings)
        pause = menu.addMenu("Pause notifications")
        self.pause_hour = pause.addAction("For 1 hour")
        self.pause_hour.triggered.connect(lambda: self.pause(timedelta(hours=1)))
        self.pause_tomorrow = pause.addAction("Until tomorrow")
        self.pause_tomorrow.triggered.connect(
            lambda: monitor.pause(tomorrow_morning(datetime.now(UTC)))
        )
        self.resume_action = pause.addAction("Resume")
        self.resume_action.triggered.connect(lambda: monitor.pause(None))
        menu.addSeparator()
        self.quit_action = menu.addAction("Quit")
        self.quit_action.triggered.connect(quit_app)
        self.icon.setContextMenu(menu)

        monitor.subscribe(self.refresh_view)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.styleHints().colorSchemeChanged.connect(lambda _scheme: self.redraw())
            app.paletteChanged.connect(lambda _palette: self.redraw())
        self.refresh_view()

    def _build_service_menus(self) -> None:
        """One submenu per watched service, in the watchlist's order. When the watchlist
        changes, only the submenus of services that came or went are made or dropped:
        remaking all of them for one edit made Qt's heap jump by megabytes each time."""
        kept = {(e.name, e.url): e for e in self.service_menus}
        entries = []
        for view in self.monitor.views():
            entry = kept.pop((view.name, view.url), None) or _ServiceMenu(self, view.name, view.url)
            entries.append(entry)
        for gone in kept.values():
            self.menu.removeAction(gone.menu.menuAction())
            gone.menu.deleteLater()
        for entry in entries:  # (re)inserted in order; an action inserted again just moves
            self.menu.insertMenu(self._services_end, entry.menu)
        self.service_menus = entries

    # -- actions --------------------------------------------------------------------------

    def open_url(self, url: str) -> None:
        log.info("opening %s", url)
        QDesktopServices.openUrl(QUrl(url))

    def snooze(self, service: str, duration: timedelta | None) -> None:
        until = datetime.now(UTC) + duration if duration is not None else None
        self.monitor.snooze(service, until)

    def pause(self, duration: timedelta) -> None:
        self.monitor.pause(datetime.now(UTC) + duration)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self._show_window()

    # -- view -----------------------------------------------------------------------------

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def redraw(self) -> None:
        self._icon_key = None
        self.refresh_view()

    def refresh_view(self) -> None:
        # Once per change (every poll): the views are built once and used three times.
        self.refreshes += 1
        all_views = self.monitor.views()
        state, incidents = self.monitor.tray_state(all_views)
        paused = self.monitor.paused
        if (state, incidents, paused) != self._icon_key:
            self.icon.setIcon(state_icon(state, incidents=incidents, paused=paused))
            self._icon_key = (state, incidents, paused)
            if state is not self.state:
                log.info("tray state: %s", state.value)
            self.state = state
        tip = self.monitor.tooltip(all_views)
        if tip != self.icon.toolTip():  # each change is a D-Bus signal to the panel
            self.icon.setToolTip(tip)
            self.headline.setText(tip.splitlines()[0] if tip else "traywatch")
        views = {v.name: v for v in all_views}
        if [(v.name, v.url) for v in views.values()] != [
            (entry.name, entry.url) for entry in self.service_menus
        ]:
            self._build_service_menus()
        for entry in self.service_menus:
            view = views.get(entry.name)
            if view is None:
                continue
            label = f"{view.name} — {view.label}"
            if view.snoozed:
                label += " (snoozed)"
            if entry.menu.title() != label:
                entry.menu.setTitle(label)
                entry.menu.setIcon(severity_icon(view.severity))
            entry.unsnooze.setVisible(view.snoozed)
            entry.snooze_hour.setVisible(not view.snoozed)
            entry.snooze_day.setVisible(not view.snoozed)
            troubled = view.severity > Severity.MAINTENANCE
            entry.when_resolved.setEnabled(troubled or entry.when_resolved.isChecked())
            wanted = self.monitor.policy.wants_resolution(view.name)
            if entry.when_resolved.isChecked() != wanted:
                entry.when_resolved.blockSignals(True)
                entry.when_resolved.setChecked(wanted)
                entry.when_resolved.blockSignals(False)
        self.resume_action.setEnabled(paused)


class TrayHostWatch(QObject):
    """Notices a system tray that appears after the app started (a panel that comes up
    late at login, or is restarted) and calls back once, so the icon is shown then."""

    INTERVAL_MS = 3000

    def __init__(self, arrived: Callable[[], None]) -> None:
        super().__init__()
        self._arrived = arrived
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._check)
        self._timer.start()

    def _check(self) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._timer.stop()
            self._arrived()

    def stop(self) -> None:
        self._timer.stop()
