"""Edit… and Remove… from the window's right-click or the tray menu, as the app wires them:
the settings open at that service; a removal leaves the rest of the config file as the user
wrote it and the running monitor drops the service."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from traywatch.app import _LazySettings
from traywatch.config import load_config
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.store import HistoryStore

CONFIG = """\
# my watchlist, kept by hand
[[services]]
name = "GitHub"
kind = "statuspage"
url = "https://www.githubstatus.com"

[[services]]
name = "Heroku"   # where the shop runs
kind = "heroku"
url = "https://status.heroku.com"

[[services]]
name = "Shop API"
kind = "http"
url = "https://shop.example.com/health"
depends_on = ["Heroku: Apps"]
"""


def test_edit_opens_the_settings_at_the_service_and_remove_drops_it(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, loop: asyncio.AbstractEventLoop
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    monitor = Monitor(load_config(path), HistoryStore(tmp_path / "s.db"), RecordingNotifier())
    settings = _LazySettings(monitor, str(path))
    try:
        settings.show("Shop API")
        window = settings._window
        assert window is not None
        assert window.service_list.currentRow() == 2
        assert window.service_list.currentItem().text().startswith("Shop API")

        assert settings.remove_now("Heroku") is None
        loop.run_until_complete(asyncio.gather(*settings._tasks))
        assert [s.name for s in monitor.services] == ["GitHub", "Shop API"]
        text = path.read_text(encoding="utf-8")
        assert 'name = "Heroku"' not in text  # its table is gone
        assert "# my watchlist, kept by hand" in text  # the rest as the user wrote it
        assert 'depends_on = ["Heroku: Apps"]' in text
        # a file being edited by hand that does not validate now: said, never overwritten
        broken = text + "\n[[services]]\nname = 42\n"
        path.write_text(broken, encoding="utf-8")
        problem = settings.remove_now("GitHub")
        assert problem is not None
        assert "name" in problem
        assert path.read_text(encoding="utf-8") == broken
        assert [s.name for s in monitor.services] == ["GitHub", "Shop API"]
    finally:
        settings.dispose()
