"""The window's, the tray menu's and a notification's screens, on the realistic watchlist
of tests/gui/scenes.py, for screenshots.

Each screen is `function(ctx) -> QWidget`: `ctx` has `app`, `loop` (qasync's) and `tmp`
(a scratch directory); the function builds the screen, shows it and returns its top-level
widget. `SCREENS` names them, in the shape tools/screenshots.py registers screens in (its
`@screen`), so that its runner can take them as they are; tests/gui/test_window_screenshots.py
runs them meanwhile, and in the suite."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget

from tests.gui import scenes
from traywatch.core.model import Severity, Snapshot
from traywatch.monitor import Monitor
from traywatch.notify.policy import Notification, NotificationPolicy
from traywatch.notify.them_or_me import ThemOrMe, answers, endpoints
from traywatch.ui.tray import TrayController
from traywatch.ui.window import MainWindow


class Context(Protocol):
    app: QApplication
    loop: asyncio.AbstractEventLoop
    tmp: Path


def _monitor(ctx: Context, *, billing_failing: bool = False) -> Monitor:
    # notifications an earlier screen left on screen (a major outage's stay) go
    subprocess.run(["dunstctl", "close-all"], check=False, capture_output=True)
    home = ctx.tmp / f"scene-{datetime.now(UTC).timestamp()}"
    home.mkdir()
    return scenes.build(home, billing_failing=billing_failing)


def _window(
    ctx: Context, service: str | None, tab: int = 0, *, billing_failing: bool = False
) -> MainWindow:
    """The window as a user first sees it on this screen (its default size, fitted)."""
    monitor = _monitor(ctx, billing_failing=billing_failing)
    settings = QSettings(str(ctx.tmp / f"window-{id(monitor)}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(monitor, settings)
    window.move(QGuiApplication.primaryScreen().availableGeometry().topLeft())
    window.bring_up(service)
    window.tabs.setCurrentIndex(tab)
    ctx.loop.run_until_complete(asyncio.wait_for(window.settled(), 20))
    ctx.app.processEvents()
    return window


def window_services(ctx: Context) -> QWidget:
    return _window(ctx, "GitHub")


def window_endpoint(ctx: Context) -> QWidget:
    """Shop API fails while Heroku reports an outage on Apps, what it runs on: them."""
    return _window(ctx, "Shop API")


def window_endpoint_yours(ctx: Context) -> QWidget:
    """Billing API fails while Heroku's Data, what it runs on, is operational: you."""
    return _window(ctx, "Billing API", billing_failing=True)


def window_platform(ctx: Context) -> QWidget:
    return _window(ctx, "Heroku")


def window_uptime(ctx: Context) -> QWidget:
    """The uptime bar hovered over the earlier GitHub outage: its tooltip. The pointer is
    moved there once the runner has placed and raised the window (raising it would hide
    a tooltip shown before)."""
    window = _window(ctx, "GitHub")
    bar = window.details.timeline
    outage = next(p for p in bar._segments if p.severity is Severity.MAJOR_OUTAGE)

    def hover() -> None:
        x = bar._x(outage.start + (outage.end - outage.start) / 2)
        QTest.mouseMove(bar, QPointF(x, bar.height() / 2).toPoint())
        if not QToolTip.isVisible():  # a pointer the X server did not move: as it would
            QToolTip.showText(bar.mapToGlobal(QPointF(x, 12).toPoint()), bar.describe(outage), bar)

    QTimer.singleShot(120, window, hover)
    return window


def window_history(ctx: Context) -> QWidget:
    return _window(ctx, None, tab=1)


def tray_menu(ctx: Context) -> QWidget:
    """The tray menu as it opens from the panel's corner, with one service's submenu.
    Returns a stand-in: a runner that centres what it is given leaves the menus where a
    panel opens them (the menus' own fit is tested by test_window_screenshots)."""
    monitor = _monitor(ctx)
    tray = TrayController(
        monitor,
        show_window=lambda: None,
        open_settings=lambda: None,
        quit_app=lambda: None,
        show_service=lambda _name: None,
        edit_service=lambda _name: None,
        remove_service=lambda _name: None,
    )
    _keep.append(tray)
    menu = tray.menu
    tray.setParent(menu)  # goes when a runner closes and deletes the menu
    screen = QGuiApplication.primaryScreen().availableGeometry()
    size = menu.sizeHint()
    menu.popup(QPoint(screen.right() - size.width(), screen.bottom() - size.height()))
    ctx.app.processEvents()
    shop = next(e for e in tray.service_menus if e.name == "Shop API")
    menu.setActiveAction(shop.menu.menuAction())
    QTest.keyClick(menu, Qt.Key.Key_Right)  # opened as a user opens it: a child popup
    ctx.app.processEvents()
    _menus.extend((menu, shop.menu))
    return _stand_in()


def notification(ctx: Context) -> QWidget:
    """What the notification server shows: the first-start summary, then an endpoint's
    failure explained by its platform ("them or me"), both as traywatch words them."""
    from traywatch.app import _notification_icon_path
    from traywatch.notify.freedesktop import FreedesktopNotifier

    now = datetime.now(UTC)
    monitor = _monitor(ctx)
    snapshots = {s.name: monitor.snapshot(s.name) for s in monitor.services}
    first_start = _first_start(monitor, snapshots, now)
    follow_up = _explained(monitor, snapshots, now)
    notifier = FreedesktopNotifier(icon_for=_notification_icon_path)

    async def show() -> None:
        for told in (first_start, follow_up):
            assert await notifier.notify(told)
        await asyncio.sleep(0.8)  # dunst draws
        await notifier.aclose()

    ctx.loop.run_until_complete(show())
    return _stand_in()  # the bubbles are the notification server's windows


def _stand_in() -> QWidget:
    placeholder = QWidget()
    placeholder.resize(1, 1)
    return placeholder


def _first_start(
    monitor: Monitor, snapshots: dict[str, Snapshot | None], now: datetime
) -> Notification:
    from traywatch.config.schema import NotificationSettings
    from traywatch.notify import InMemoryPolicyMemory

    names = [s.name for s in monitor.services]
    policy = NotificationPolicy(NotificationSettings(), InMemoryPolicyMemory(), services=names)
    told: list[Notification] = []
    assert monitor.poller is not None
    for name in names:
        # what each first poll found: OpenAI's failed, and is said as such
        snapshot = monitor.poller.states[name].snapshot or snapshots[name]
        if snapshot is not None:
            told += policy.observe(name, snapshot, now)
    told += policy.baseline_overdue(now + timedelta(minutes=5))
    return told[0]


def _explained(
    monitor: Monitor, snapshots: dict[str, Snapshot | None], now: datetime
) -> Notification:
    """Shop API failed while Heroku's page was still green; then Heroku admitted it."""
    services = monitor.services
    before = {**snapshots, "Heroku": scenes.heroku("all-green.json", now - timedelta(hours=1))}
    them_or_me = ThemOrMe()
    them_or_me.announced(
        "Shop API", answers(services, before, offline=False)["Shop API"], now - timedelta(minutes=6)
    )
    (follow_up,) = them_or_me.observe(
        endpoints(services, snapshots), snapshots, offline=False, now=now
    )
    return follow_up


_keep: list[TrayController] = []  # a tray controller lives as long as its menu is shown
_menus: list[QMenu] = []  # the menus the last tray-menu screen opened (for the fit check)


SCREENS: dict[str, Callable[[Any], QWidget]] = {
    "window-services": window_services,
    "window-endpoint": window_endpoint,
    "window-endpoint-yours": window_endpoint_yours,
    "window-platform": window_platform,
    "window-uptime": window_uptime,
    "window-history": window_history,
    "tray-menu": tray_menu,
    "notification": notification,
}
