"""The tray icon as the last run left it is shown before the rest of the app loads, and
the tray controller takes that very icon over: the panel sees one item from start to
quit, with the real tooltip and a working menu."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

from tests.conftest import fixture_bytes
from tests.e2e.app import App
from tests.e2e.desktop import (
    click_tray_menu,
    shown_window,
    tray_item,
    tray_tooltip,
    wait_until,
)
from tests.support.server import StatusServer

SUMMARY = "/api/v2/summary.json"
MAJOR = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")
SIZES = ("16", "22", "24", "32", "48", "64")

_WATCHER = DBusAddress(
    "/StatusNotifierWatcher",
    bus_name="org.kde.StatusNotifierWatcher",
    interface="org.freedesktop.DBus.Properties",
)
_BUS = DBusAddress(
    "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
)


class ItemWatch:
    """Every tray item registered by one process while this runs, read as fast as the
    bus answers: an icon shown and replaced within moments would be caught."""

    def __init__(self) -> None:
        self.pid = 0
        self.seen: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ItemWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        with open_dbus_connection(bus="SESSION") as connection:
            while not self._stop.is_set():
                reply = connection.send_and_get_reply(
                    new_method_call(
                        _WATCHER,
                        "Get",
                        "ss",
                        ("org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems"),
                    ),
                    timeout=3,
                )
                for item in reply.body[0][1]:
                    owner = connection.send_and_get_reply(
                        new_method_call(
                            _BUS, "GetConnectionUnixProcessID", "s", (item.partition("/")[0],)
                        ),
                        timeout=3,
                    )
                    if self.pid and tuple(owner.body[:1]) == (self.pid,):
                        self.seen.add(item)
                time.sleep(0.005)


@pytest.fixture
def app(tmp_path: Path, status_server: StatusServer) -> Iterator[App]:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[services]]\nname = "GitHub"\nkind = "statuspage"\nurl = "{status_server.base_url}"\n',
        encoding="utf-8",
    )
    private = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_STATE_HOME": str(tmp_path / "state")}
    instance = App(config, tmp_path, env=private)
    yield instance
    instance.close()


def test_the_next_start_shows_the_icon_the_last_run_left(
    app: App, status_server: StatusServer, tmp_path: Path
) -> None:
    status_server.serve(SUMMARY, MAJOR)
    remembered = tmp_path / "cache" / "traywatch" / "tray-icon"

    app.start()  # a first start: nothing remembered yet
    item = wait_until(lambda: tray_item(app.pid), what="the tray icon")
    wait_until(lambda: "Major outage" in tray_tooltip(item), what="the outage in the tooltip")
    wait_until(lambda: all((remembered / f"{s}.png").exists() for s in SIZES), what="icon saved")
    log_file = tmp_path / "state" / "traywatch" / "log" / "traywatch.log"
    assert "tray state: major" in log_file.read_text()
    assert "as the last run left it" not in log_file.read_text()
    assert app.stop()[0] == 0

    with ItemWatch() as watch:
        app.start()
        watch.pid = app.pid
        item = wait_until(lambda: tray_item(app.pid), what="the tray icon")
        wait_until(lambda: "Major outage" in tray_tooltip(item), what="the real tooltip")
        time.sleep(1.0)  # the controller has long taken over by now
        with open_dbus_connection(bus="SESSION") as connection:  # a click on the icon
            connection.send_and_get_reply(new_method_call(item, "Activate", "ii", (0, 0)))
        wait_until(lambda: shown_window("traywatch"), what="the window, opened by the click")
        click_tray_menu(item, "Quit")  # the menu is the controller's
        assert app.process is not None
        app.process.communicate(timeout=15)
        assert app.process.returncode == 0
        app.process = None
    second_run = log_file.read_text().split("tray state: major", 1)[1]
    assert "tray icon shown as the last run left it" in second_run
    # One item from start to quit: the first icon was adopted, not replaced.
    assert len(watch.seen) == 1, watch.seen
