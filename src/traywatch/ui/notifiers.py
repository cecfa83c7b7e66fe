"""Qt's own notification path, the fallback where no notification server answers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QSystemTrayIcon

from traywatch.core.model import Severity
from traywatch.notify.policy import Notification

_ICON = {
    "critical": QSystemTrayIcon.MessageIcon.Critical,
    "normal": QSystemTrayIcon.MessageIcon.Warning,
    "low": QSystemTrayIcon.MessageIcon.Information,
}


class TrayMessageNotifier:
    name = "tray message"

    def __init__(
        self, tray: QSystemTrayIcon, on_activate: Callable[[Notification], None] | None = None
    ) -> None:
        self._tray = tray
        self._last: Notification | None = None
        if on_activate is not None:
            # Qt says only that *the* balloon was clicked: the latest one.
            tray.messageClicked.connect(lambda: self._last and on_activate(self._last))

    async def notify(self, notification: Notification) -> bool:
        if not (self._tray.isVisible() and QSystemTrayIcon.supportsMessages()):
            return False
        icon = _ICON[notification.urgency]
        if notification.severity is Severity.OPERATIONAL:
            icon = QSystemTrayIcon.MessageIcon.Information
        self._tray.showMessage(notification.title, notification.body, icon, 10_000)
        self._last = notification
        return True
