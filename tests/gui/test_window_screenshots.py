"""Screenshots of the window, the tray menu and a notification (tests/gui/window_screens.py)
on the test desktop, light and dark: artifacts/screenshots/<screen>-<W>x<H>-<palette>.png,
the whole screen grabbed, so that whatever does not fit shows. The suite's desktop is
1024x768; `TRAYWATCH_TEST_SCREEN=1280x800x24 scripts/with-desktop .venv/bin/python -m
pytest tests/gui/test_window_screenshots.py` writes the 1280x800 ones."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QToolTip

from tests.gui import window_screens
from tests.gui.window_screens import SCREENS
from tests.gui.window_support import ARTIFACTS, palette_for

OUT = ARTIFACTS / "screenshots"


@dataclass
class Context:
    app: QApplication
    loop: asyncio.AbstractEventLoop
    tmp: Path


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(
    scheme: str, qapp: QApplication, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    original = qapp.palette()
    qapp.setPalette(palette_for(scheme, qapp))
    screen = QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    size = f"{screen.geometry().width()}x{screen.geometry().height()}"
    ctx = Context(qapp, loop, tmp_path)
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    others = set(QApplication.topLevelWidgets())  # other tests' widgets: left alone
    try:
        for name, build in SCREENS.items():
            top = build(ctx)
            for _ in range(5):
                qapp.processEvents()
                loop.run_until_complete(asyncio.sleep(0.05))
            shown = [top, *window_screens._menus] if name == "tray-menu" else [top]
            for widget in shown:
                frame = widget.frameGeometry()
                assert available.contains(frame), f"{name}: {frame} does not fit {available}"
            path = OUT / f"{name}-{size}-{scheme}.png"
            # asked again: Qt may replace its QScreen when a tray host reconfigures X
            assert QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
            written.append(path)
            QToolTip.hideText()
            window_screens._menus.clear()
            for widget in set(QApplication.topLevelWidgets()) - others:
                widget.close()
                widget.deleteLater()
            qapp.processEvents()
    finally:
        qapp.setPalette(original)
    assert all(p.stat().st_size > 10_000 for p in written)  # something was drawn
