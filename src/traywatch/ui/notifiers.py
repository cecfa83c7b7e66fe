"""Qt's own notification path, the fallback where no notification server answers."""

from __future__ import annotations

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

    def __init__(self, tray: QSystemTrayIcon) -> None:
        self._tray = tray

    async def notify(self, notification: Notification) -> bool:
        if not (self._tray.isVisible() and QSystemTrayIcon.supportsMessages()):
            return False
        icon = _ICON[notification.urgency]
        if notification.severity is Severity.OPERATIONAL:
            icon = QSystemTrayIcon.MessageIcon.Information
        self._tray.showMessage(notification.title, notification.body, icon, 10_000)
        return True
