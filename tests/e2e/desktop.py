"""Reading the real desktop parts from a test: the notification daemon (dunst), the
StatusNotifierItem host, the screen."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@dataclass(frozen=True)
class Shown:
    app: str
    summary: str
    body: str
    icon: str
    ident: int = 0  # the server's id: one that replaced another keeps the other's


class NotificationDaemon:
    """dunst's history; notifications still on screen are closed first so they count."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.seen: list[Shown] = []
        self._ids: set[tuple[int, object]] = set()
        self._env = env  # another session bus's dunst

    def collect(self) -> list[Shown]:
        subprocess.run(["dunstctl", "close-all"], check=True, env=self._env)
        out = subprocess.run(
            ["dunstctl", "history"], capture_output=True, text=True, check=True, env=self._env
        )
        for item in reversed(json.loads(out.stdout)["data"][0]):
            # dunst gives a notification that replaces another the other's id, also after
            # that one was closed: the id alone does not tell two notifications apart.
            ident = (item["id"]["data"], item.get("timestamp", {}).get("data"))
            if ident in self._ids:
                continue
            self._ids.add(ident)
            self.seen.append(
                Shown(
                    item["appname"]["data"],
                    item["summary"]["data"],
                    item["body"]["data"],
                    item.get("icon_path", {}).get("data", ""),
                    item["id"]["data"],
                )
            )
        return self.seen

    def from_app(self, app: str = "traywatch") -> list[Shown]:
        return [n for n in self.collect() if n.app == app]


def wait_until(condition: Callable[[], Any], timeout: float = 15.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or condition}")
        time.sleep(0.1)


_BUS = DBusAddress(
    "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
)
_WATCHER = DBusAddress(
    "/StatusNotifierWatcher",
    bus_name="org.kde.StatusNotifierWatcher",
    interface="org.freedesktop.DBus.Properties",
)


def _get(connection: Any, address: DBusAddress, interface: str, prop: str) -> Any:
    properties = DBusAddress(
        address.object_path, bus_name=address.bus_name, interface="org.freedesktop.DBus.Properties"
    )
    reply = connection.send_and_get_reply(
        new_method_call(properties, "Get", "ss", (interface, prop)), timeout=3
    )
    return reply.body[0][1]


def tray_item(pid: int) -> DBusAddress | None:
    """The StatusNotifierItem that process `pid` registered, if any."""
    with open_dbus_connection(bus="SESSION") as connection:
        items = _get(
            connection, _WATCHER, "org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems"
        )
        for item in items:
            service, _, path = item.partition("/")
            path = path or "StatusNotifierItem"
            reply = connection.send_and_get_reply(
                new_method_call(_BUS, "GetConnectionUnixProcessID", "s", (service,)), timeout=3
            )
            if reply.body and reply.body[0] == pid:
                return DBusAddress(
                    "/" + path, bus_name=service, interface="org.kde.StatusNotifierItem"
                )
    return None


def tray_pids() -> set[int]:
    """The processes that have an icon registered with the tray host."""
    pids = set()
    with open_dbus_connection(bus="SESSION") as connection:
        items = _get(
            connection, _WATCHER, "org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems"
        )
        for item in items:
            reply = connection.send_and_get_reply(
                new_method_call(_BUS, "GetConnectionUnixProcessID", "s", (item.partition("/")[0],)),
                timeout=3,
            )
            pids.update(reply.body[:1])
    return pids


def tray_tooltip(item: DBusAddress) -> str:
    with open_dbus_connection(bus="SESSION") as connection:
        _icon, _pixmaps, title, text = _get(
            connection, item, "org.kde.StatusNotifierItem", "ToolTip"
        )
        return f"{title}\n{text}".strip()


def tray_pixmap(item: DBusAddress) -> bytes:
    with open_dbus_connection(bus="SESSION") as connection:
        pixmaps = _get(connection, item, "org.kde.StatusNotifierItem", "IconPixmap")
        return b"".join(bytes(data) for _w, _h, data in pixmaps)


_GRAB = """
import sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
screen = QGuiApplication.primaryScreen().grabWindow(0)
assert screen.save(sys.argv[1] + ".png", "PNG")
# the tray corner (gtk-sni-tray sits at the bottom right), enlarged
corner = screen.copy(screen.width() - 160, screen.height() - 40, 160, 40)
corner.scaled(640, 160, Qt.KeepAspectRatio, Qt.SmoothTransformation).save(sys.argv[1] + "-tray.png")
"""


def shown_window(title: str, display: str | None = None) -> tuple[int, int, int, int] | None:
    """(x, y, width, height) of a mapped, viewable window named `title` (or "… title",
    as the main window is, its verdict first), as the X server knows it; None when there
    is none."""
    env = {**os.environ, **({"DISPLAY": display} if display else {})}

    def xwininfo(*args: str) -> str:
        return subprocess.run(
            ["xwininfo", *args], capture_output=True, text=True, env=env, check=True
        ).stdout

    for window in re.findall(
        rf'^\s*(0x[0-9a-f]+) "(?:[^"\n]* )?{re.escape(title)}":', xwininfo("-root", "-tree"), re.M
    ):
        info = xwininfo("-id", window)
        if "Map State: IsViewable" in info:
            numbers = dict(
                re.findall(r"^\s*(Absolute upper-left [XY]|Width|Height):\s*(-?\d+)", info, re.M)
            )
            return tuple(  # type: ignore[return-value]
                int(numbers[k])
                for k in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")
            )
    return None


def drawn_colours(shot: Path, geometry: tuple[int, int, int, int]) -> int:
    """How many different colours the screenshot has inside `geometry` (sampled): a
    window that was mapped but never painted shows one or two."""
    from PySide6.QtGui import QImage

    image = QImage(str(shot)).copy(*geometry)
    return len(
        {image.pixel(x, y) for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)}
    )


def screenshot(name: str, settle: float = 0.0, display: str | None = None) -> Path:
    """The whole virtual screen and its tray corner, saved as test artifacts."""
    time.sleep(settle)
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    if display is not None:
        env["DISPLAY"] = display
    subprocess.run(
        [sys.executable, "-c", _GRAB, str(stem)], check=True, capture_output=True, env=env
    )
    return stem.with_suffix(".png")


def _menu_address(item: DBusAddress) -> DBusAddress:
    with open_dbus_connection(bus="SESSION") as connection:
        path = _get(connection, item, "org.kde.StatusNotifierItem", "Menu")
    return DBusAddress(path, bus_name=item.bus_name, interface="com.canonical.dbusmenu")


def tray_menu(item: DBusAddress) -> dict[tuple[str, ...], tuple[int, dict[str, Any]]]:
    """Every entry of the tray icon's menu, as the panel sees it (DBusMenu): the path of
    labels (mnemonic ampersands removed) -> (id, properties)."""
    menu = _menu_address(item)
    with open_dbus_connection(bus="SESSION") as connection:
        _revision, layout = connection.send_and_get_reply(
            new_method_call(menu, "GetLayout", "iias", (0, -1, [])), timeout=3
        ).body
    entries: dict[tuple[str, ...], tuple[int, dict[str, Any]]] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        ident, properties, children = node
        values = {key: value for key, (_signature, value) in properties.items()}
        label = str(values.get("label", "")).replace("&", "")
        here = (*path, label) if ident else path
        if ident:
            entries[here] = (ident, values)
        for _signature, child in children:
            walk(child, here)

    walk(layout, ())
    return entries


def click_tray_menu(item: DBusAddress, *labels: str) -> None:
    """Click a menu entry the way a panel does: an "opened" event for its submenu,
    then "clicked" (fire-and-forget, as panels send them)."""
    entries = tray_menu(item)
    menu = _menu_address(item)
    with open_dbus_connection(bus="SESSION") as connection:
        for depth in range(1, len(labels)):
            parent, _ = entries[labels[:depth]]
            connection.send_and_get_reply(
                new_method_call(menu, "AboutToShow", "i", (parent,)), timeout=3
            )
        ident, _ = entries[labels]
        connection.send_and_get_reply(
            new_method_call(menu, "Event", "isvu", (ident, "clicked", ("s", ""), 0)), timeout=3
        )
