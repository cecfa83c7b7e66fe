"""What the window's tests share: a window brought up and settled (its store reads run
through the qasync loop of conftest.py), the two reference palettes, selecting a row."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from traywatch.monitor import Monitor
from traywatch.ui.window import MainWindow

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

# A dark palette as a desktop's dark theme sets it (GNOME's Adwaita dark, near enough).
DARK_ROLES = {
    QPalette.ColorRole.Window: "#242424",
    QPalette.ColorRole.WindowText: "#ffffff",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.AlternateBase: "#2a2a2a",
    QPalette.ColorRole.Text: "#ffffff",
    QPalette.ColorRole.Button: "#303030",
    QPalette.ColorRole.ButtonText: "#ffffff",
    QPalette.ColorRole.Highlight: "#3584e4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#78aeed",
    QPalette.ColorRole.LinkVisited: "#c061cb",
    QPalette.ColorRole.ToolTipBase: "#3a3a3a",
    QPalette.ColorRole.ToolTipText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#9a9996",
    QPalette.ColorRole.Mid: "#4a4a4a",
    QPalette.ColorRole.Dark: "#1a1a1a",
    QPalette.ColorRole.Light: "#505050",
    QPalette.ColorRole.Midlight: "#3c3c3c",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.BrightText: "#ffffff",
}


def palette_for(scheme: str, qapp: QApplication) -> QPalette:
    """The light one is Qt's own (Fusion); the dark one a desktop's dark theme."""
    palette = QPalette(qapp.style().standardPalette())
    if scheme == "dark":
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            for role, colour in DARK_ROLES.items():
                palette.setColor(group, role, QColor(colour))
        for role, colour in DARK_ROLES.items():
            disabled = QColor(colour)
            if role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
                disabled = QColor("#8a8a8a")
            palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def settle(window: MainWindow, loop: asyncio.AbstractEventLoop) -> None:
    """Everything the window asked the store for is read and shown."""
    loop.run_until_complete(asyncio.wait_for(window.settled(), 15))


def open_window(
    monitor: Monitor,
    qtbot: QtBot,
    tmp_path: Path,
    loop: asyncio.AbstractEventLoop,
    size: tuple[int, int] = (1100, 720),
) -> MainWindow:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(monitor, settings)
    qtbot.addWidget(window)
    window.resize(*size)
    window.bring_up()
    settle(window, loop)
    return window


def select(window: MainWindow, name: str, loop: asyncio.AbstractEventLoop | None = None) -> None:
    for row in range(window.proxy.rowCount()):
        if window.proxy.data(window.proxy.index(row, 0), Qt.ItemDataRole.UserRole) == name:
            window.table.selectRow(row)
            if loop is not None:
                settle(window, loop)
            return
    raise AssertionError(f"no row for {name}")


def rows(window: MainWindow) -> list[str]:
    return [window.proxy.data(window.proxy.index(r, 1)) for r in range(window.proxy.rowCount())]
