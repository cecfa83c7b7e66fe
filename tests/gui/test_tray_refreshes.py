"""The tray is not touched by polls that change nothing it shows."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.integration.helpers import until
from tests.integration.test_poll_cost import MAJOR, OPERATIONAL, SUMMARY, Clock, Page
from tests.support.server import StatusServer
from traywatch.config.schema import Config, ServiceConfig, Settings
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.store import HistoryStore
from traywatch.ui.tray import TrayController


def test_unchanged_polls_do_not_refresh_the_tray(
    qapp: QApplication, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    page = Page(OPERATIONAL)
    with StatusServer() as server:
        route = server.route(SUMMARY, page)
        config = Config(
            settings=Settings(timeout=2),
            services=(
                ServiceConfig(name="GitHub", url=server.base_url, kind="statuspage"),
                ServiceConfig(name="Also", url=server.base_url, kind="statuspage"),
            ),
        )
        store = HistoryStore(tmp_path / "state.sqlite3")
        clock = Clock()
        monitor = Monitor(config, store, RecordingNotifier(), clock=clock)
        tray = TrayController(
            monitor, show_window=lambda: None, open_settings=lambda: None, quit_app=lambda: None
        )

        async def polls(count: int) -> None:
            for _ in range(count):
                before = monitor.polls
                monitor.refresh("GitHub")
                await until(lambda: monitor.polls > before)  # noqa: B023
            await asyncio.sleep(0.1)  # a refresh is made at the loop's next turn

        async def scenario() -> tuple[int, ...]:
            await monitor.start()
            try:
                await until(lambda: tray.icon.toolTip().startswith("All systems operational"))
                await asyncio.sleep(0.1)
                tooltip = tray.icon.toolTip()
                settled = tray.refreshes
                await polls(10)
                quiet = tray.refreshes - settled
                clock.now += timedelta(minutes=1)
                await polls(3)
                minute = tray.refreshes - settled
                page.change(MAJOR)
                await polls(1)
                changed = tray.refreshes - settled
                assert tooltip.startswith("All systems operational")
                assert "Major" in tray.icon.toolTip() or "outage" in tray.icon.toolTip()
                return quiet, minute, changed
            finally:
                await monitor.stop()

        quiet, minute, changed = loop.run_until_complete(scenario())
        assert route.hits >= 16
        assert quiet == 0  # ten 304s: no view built, no menu, tooltip or icon touched
        assert minute == 1  # the minute of "checked at" moved: once
        assert changed == 2  # the page changed: shown
        store.close()
