"""A config saved into a running app with an address nothing can fetch is explained, and
the app goes on applying later edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_monitor import OPERATIONAL, SUMMARY, _until
from tests.support.server import StatusServer
from traywatch.config import load_config
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.store import HistoryStore


def service(name: str, url: str) -> str:
    return f'[[services]]\nname = "{name}"\nkind = "statuspage"\nurl = "{url}"\n'


@pytest.mark.parametrize("bad_url", ["http://[::1", "http://127.0.0.1:99999/", "http://xn--zz.x/"])
async def test_a_bad_address_saved_into_a_running_app_is_explained_and_later_edits_apply(
    status_server: StatusServer, tmp_path: Path, bad_url: str
) -> None:
    status_server.serve("/a" + SUMMARY, OPERATIONAL)
    status_server.serve("/b" + SUMMARY, OPERATIONAL)
    path = tmp_path / "config.toml"
    path.write_text(service("A", status_server.url("/a")), encoding="utf-8")
    store = HistoryStore(tmp_path / "state.sqlite3")
    monitor = Monitor(load_config(path), store, RecordingNotifier(), tick_seconds=0.05)
    await monitor.start()
    try:
        await _until(lambda: status_server.hits("/a" + SUMMARY) >= 1)
        path.write_text(service("A", status_server.url("/a")) + service("Bad", bad_url))
        await _until(lambda: monitor.config_problem is not None)
        assert "services[1].url: " in monitor.config_problem
        assert [v.name for v in monitor.views()] == ["A"]  # still the last good config

        path.write_text(
            service("A", status_server.url("/a")) + service("B", status_server.url("/b"))
        )
        await _until(lambda: status_server.hits("/b" + SUMMARY) >= 1)
        assert [v.name for v in monitor.views()] == ["A", "B"]
        assert monitor.config_problem is None
    finally:
        await monitor.stop()
        store.close()
