"""The tray icon, its tooltip and its menu: a thin view over the Monitor."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from traywatch.core.health import ServiceView, TrayState, headline, worst_first
from traywatch.monitor import Monitor
from traywatch.ui.icons import severity_icon, state_icon
from traywatch.ui.service_menu import ServiceHandlers, ServiceMenu, is_endpoint

log = logging.getLogger(__name__)


def tomorrow_morning(now: datetime) -> datetime:
    local = now.astimezone()
    return (local + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)


class TrayController(QObject):
    def __init__(
        self,
        monitor: Monitor,
        *,
        show_window: Callable[[], None],
        open_settings: Callable[[], None],
        quit_app: Callable[[], None],
        show_service: Callable[[str], None] | None = None,
        edit_service: Callable[[str], None] | None = None,
        remove_service: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        self._show_window = show_window
        self.handlers = ServiceHandlers(
            open_page=self.open_url,
            snooze=self.snooze,
            notify_when_resolved=monitor.notify_when_resolved,
            details=show_service,
            edit=edit_service,
            remove=remove_service,
        )
        self._menu_icons: dict[str, object] = {}
        self._in_menu: list[QMenu] = []  # the submenus in the menu, in its order
        self.icon = QSystemTrayIcon(self)
        self.icon.activated.connect(self._activated)
        self.state: TrayState | None = None
        self._icon_key: tuple[TrayState, bool, bool] | None = None
        self.refreshes = 0

        menu = QMenu()
        # The verdict, in the menu's own text colour (a disabled entry is greyed to
        # unreadable on some dark themes); choosing it opens the window.
        self.headline = menu.addAction("")
        bold = self.headline.font()
        bold.setBold(True)
        self.headline.setFont(bold)
        self.headline.triggered.connect(show_window)
        menu.addSeparator()
        self.service_menus: list[ServiceMenu] = []
        self._services_end = menu.addSeparator()
        self.menu = menu
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
            # bound methods, not lambdas: disconnected when this controller goes
            app.styleHints().colorSchemeChanged.connect(self.redraw)
            app.paletteChanged.connect(self.redraw)
        self.refresh_view()

    def _build_service_menus(self, views: list[ServiceView]) -> None:
        """One submenu per watched service. When the watchlist changes, only the submenus
        of services that came or went are made or dropped: remaking all of them for one
        edit made Qt's heap jump by megabytes each time. `_order_service_menus` puts
        them in the menu."""
        kept = {(e.name, e.url): e for e in self.service_menus}
        entries = []
        for view in views:
            entry = kept.pop((view.name, view.url), None) or ServiceMenu(
                view.name, view.url, self.handlers, endpoint=is_endpoint(self.monitor, view.name)
            )
            entries.append(entry)
        for gone in kept.values():
            self.menu.removeAction(gone.menu.menuAction())
            self._menu_icons.pop(gone.name, None)
            gone.menu.deleteLater()
        self.service_menus = entries

    def _order_service_menus(self, views: list[ServiceView]) -> None:
        """Worst first, as in the window: what needs a look is at the top."""
        by_name = {entry.name: entry for entry in self.service_menus}
        wanted = [by_name[v.name] for v in worst_first(views)]
        if [entry.menu for entry in wanted] == self._in_menu:
            return
        self.service_menus = wanted
        for entry in wanted:  # an action inserted again just moves
            self.menu.insertMenu(self._services_end, entry.menu)
        self._in_menu = [entry.menu for entry in wanted]

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

    def redraw(self, *_changed: object) -> None:
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
            self.headline.setIcon(self.icon.icon())
            self._icon_key = (state, incidents, paused)
            if state is not self.state:
                log.info("tray state: %s", state.value)
            self.state = state
        tip = self.monitor.tooltip(all_views)
        if tip != self.icon.toolTip():  # each change is a D-Bus signal to the panel
            self.icon.setToolTip(tip)
        verdict = headline(all_views, offline=self.monitor.offline).replace("&", "&&")
        if verdict != self.headline.text():
            self.headline.setText(verdict)
        views = {v.name: v for v in all_views}
        if sorted((v.name, v.url) for v in all_views) != sorted(
            (entry.name, entry.url) for entry in self.service_menus
        ):
            self._build_service_menus(all_views)
        self._order_service_menus(all_views)
        for entry in self.service_menus:
            view = views[entry.name]
            label = f"{view.name} — {view.label}"
            if view.snoozed:
                label += " (snoozed)"
            if entry.menu.title() != label:
                entry.menu.setTitle(label)
            icon = severity_icon(view.severity)
            if self._menu_icons.get(entry.name) is not icon:  # the icons are cached
                entry.menu.setIcon(icon)
                self._menu_icons[entry.name] = icon
            entry.update(view, self.monitor.policy.wants_resolution(view.name))
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
