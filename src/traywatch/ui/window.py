"""A minimal main window: every watched service and its state (the full window comes later)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.health import ServiceView
from traywatch.core.model import Severity
from traywatch.ui.icons import severity_icon


def relative(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min ago"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("traywatch")
        self.setMinimumSize(640, 320)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.notice.setAccessibleName("Notice")
        self.services = QTreeWidget()
        self.services.setAccessibleName("Watched services")
        self.services.setColumnCount(4)
        self.services.setHeaderLabels(["Service", "State", "Summary", "Checked"])
        self.services.setRootIsDecorated(False)
        self.services.setAlternatingRowColors(True)
        header = self.services.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.notice)
        layout.addWidget(self.services)
        self.setCentralWidget(body)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def update_services(self, views: list[ServiceView], *, offline: bool) -> None:
        now = datetime.now(UTC)
        ordered = sorted(
            views, key=lambda v: (v.severity is not Severity.UNKNOWN, v.severity), reverse=True
        )
        self.services.clear()
        for view in ordered:
            state = view.severity.label + (" (stale)" if view.stale else "")
            if view.snoozed:
                state += " · snoozed"
            item = QTreeWidgetItem([view.name, state, view.summary, relative(view.checked_at, now)])
            item.setIcon(1, severity_icon(view.severity))
            item.setToolTip(2, view.summary)
            item.setData(0, Qt.ItemDataRole.UserRole, view.url)
            self.services.addTopLevelItem(item)
        if offline:
            self.show_notice("You are offline: showing the state from the last successful check.")

    def bring_up(self) -> None:
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window keeps traywatch running in the tray.
        event.ignore()
        self.hide()
