"""One service's actions, the same in the tray menu and on a right-click in the window:
details, its page, snooze, notify when resolved, edit, remove."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtWidgets import QMenu, QWidget

from traywatch.core.health import ServiceView
from traywatch.core.model import Severity
from traywatch.monitor import Monitor


def is_endpoint(monitor: Monitor, name: str) -> bool:
    """One of the user's own endpoints (kind "http"), not a status page."""
    return any(s.name == name and s.kind == "http" for s in monitor.services)


@dataclass(frozen=True, slots=True)
class ServiceHandlers:
    """What the app does for each action; an action without a handler is left out."""

    open_page: Callable[[str], None]  # the service's address
    snooze: Callable[[str, timedelta | None], None]  # None: end the snooze
    notify_when_resolved: Callable[[str, bool], None]
    details: Callable[[str], None] | None = None  # the window, at this service
    edit: Callable[[str], None] | None = None  # the settings, at this service
    remove: Callable[[str], None] | None = None  # asks first


class ServiceMenu:
    def __init__(
        self,
        name: str,
        url: str,
        handlers: ServiceHandlers,
        *,
        endpoint: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        self.name = name
        self.url = url
        self.menu = QMenu(name, parent)
        self.details = None
        if handlers.details is not None:
            show = handlers.details
            self.details = self.menu.addAction("Details…")
            self.details.triggered.connect(lambda: show(name))
        self.open_page = self.menu.addAction("Open address" if endpoint else "Open status page")
        self.open_page.setToolTip(url)
        self.open_page.triggered.connect(lambda: handlers.open_page(url))
        self.menu.addSeparator()
        self.snooze_hour = self.menu.addAction("Snooze for 1 hour")
        self.snooze_hour.triggered.connect(lambda: handlers.snooze(name, timedelta(hours=1)))
        self.snooze_day = self.menu.addAction("Snooze for 1 day")
        self.snooze_day.triggered.connect(lambda: handlers.snooze(name, timedelta(days=1)))
        self.unsnooze = self.menu.addAction("End snooze")
        self.unsnooze.triggered.connect(lambda: handlers.snooze(name, None))
        self.when_resolved = self.menu.addAction("Notify me when resolved")
        self.when_resolved.setCheckable(True)
        self.when_resolved.toggled.connect(
            lambda checked: handlers.notify_when_resolved(name, checked)
        )
        self.edit = self.remove = None
        if handlers.edit is not None or handlers.remove is not None:
            self.menu.addSeparator()
        if handlers.edit is not None:
            edit = handlers.edit
            self.edit = self.menu.addAction("Edit…")
            self.edit.triggered.connect(lambda: edit(name))
        if handlers.remove is not None:
            remove = handlers.remove
            self.remove = self.menu.addAction("Remove…")
            self.remove.triggered.connect(lambda: remove(name))

    def update(self, view: ServiceView, wants_resolution: bool) -> None:
        """Only the actions that make sense now: a snooze or its end; "notify when
        resolved" for a service in trouble (or already asked for)."""
        self.unsnooze.setVisible(view.snoozed)
        self.snooze_hour.setVisible(not view.snoozed)
        self.snooze_day.setVisible(not view.snoozed)
        troubled = view.severity > Severity.MAINTENANCE
        self.when_resolved.setEnabled(troubled or wants_resolution)
        if self.when_resolved.isChecked() != wants_resolution:
            self.when_resolved.blockSignals(True)
            self.when_resolved.setChecked(wants_resolution)
            self.when_resolved.blockSignals(False)
