"""The desktop app's composition root: Qt application, qasync loop, monitor, tray.

Start-up order matters (measured): the tray icon is shown from the stored state
before asyncio, qasync, httpx or the network are touched; the poller starts once
the icon is up."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from traywatch.config import load_config, write_config
from traywatch.config.store import resolve_config_path
from traywatch.core.errors import ConfigError
from traywatch.core.health import TrayState
from traywatch.notify.base import FallbackNotifier, Notifier
from traywatch.notify.policy import Notification
from traywatch.store.history import HistoryStore, default_store_path
from traywatch.ui.single_instance import SingleInstance
from traywatch.ui.tray import TrayController
from traywatch.ui.window import MainWindow

if TYPE_CHECKING:
    import asyncio  # imported for real only once the icon is up

    from traywatch.config.schema import Config
    from traywatch.monitor import Monitor

log = logging.getLogger("traywatch.app")

NO_TRAY = (
    "No system tray was found (on GNOME, the AppIndicator extension provides one), "
    "so traywatch runs in this window. Closing it keeps traywatch running; "
    "start traywatch again to bring the window back."
)


def run_app(config_path: str | None) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("traywatch")
    app.setDesktopFileName("traywatch")
    app.setQuitOnLastWindowClosed(False)

    instance = SingleInstance()
    if instance.ask_running_instance():
        print("traywatch is already running: its window was asked to show.")
        return 0

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(f"traywatch: config error: {exc}", file=sys.stderr)
        log.error("config error: %s", exc)
        return 3
    instance.listen()

    store = _open_store()
    from traywatch.monitor import Monitor

    window = MainWindow()
    tray_notifier = _LateNotifier()
    monitor = Monitor(config, store, FallbackNotifier([tray_notifier]))
    quitting = _QuitRequest()

    def quit_app() -> None:
        quitting.request()

    def show_window() -> None:
        window.update_services(monitor.views(), offline=monitor.offline)
        window.bring_up()

    tray = TrayController(
        monitor,
        show_window=show_window,
        open_settings=lambda: _open_settings(config_path, config),
        quit_app=quit_app,
    )

    def update_window() -> None:
        if window.isVisible():
            window.update_services(monitor.views(), offline=monitor.offline)

    monitor.subscribe(update_window)
    instance.show_requested.connect(show_window)
    instance.refresh_requested.connect(lambda: monitor.refresh())

    if QSystemTrayIcon.isSystemTrayAvailable():
        tray.show()
    else:
        log.warning("no system tray available: showing the window instead")
        window.show_notice(NO_TRAY)
        show_window()
    app.processEvents()  # let the icon reach the panel before anything slow happens

    # Python signal handlers run only when Python gets control: a cheap heartbeat.
    heartbeat = QTimer()
    heartbeat.start(250)
    heartbeat.timeout.connect(lambda: None)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: quit_app())

    tray_notifier.backends = _notifiers(tray.icon, config)
    return _run_loop(app, monitor, tray, tray_notifier, store, instance, quitting)


def tell_running_app(command: str) -> bool:
    """Send a command to the running app; False when none is running."""
    from PySide6.QtCore import QCoreApplication

    _app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    return SingleInstance().ask_running_instance(command)


def _run_loop(
    app: QApplication,
    monitor: Monitor,
    tray: TrayController,
    notifier: _LateNotifier,
    store: HistoryStore,
    instance: SingleInstance,
    quitting: _QuitRequest,
) -> int:
    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(_log_loop_exception)
    sys.excepthook = _log_exception

    async def main() -> None:
        done = asyncio.Event()
        quitting.attach(loop, done)
        try:
            await monitor.start()
            await done.wait()
        finally:
            tray.hide()  # first, so the panel never shows a dead icon
            await monitor.stop()
            await notifier.aclose()

    try:
        loop.run_until_complete(main())
    finally:
        store.close()
        instance.close()
        asyncio.set_event_loop(None)
        loop.close()
    log.info("quit")
    return 0


class _QuitRequest:
    """Quit asked for by the menu or a signal, possibly before the loop exists."""

    def __init__(self) -> None:
        self._requested = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def attach(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        self._loop, self._event = loop, event
        if self._requested:
            event.set()

    def request(self) -> None:
        self._requested = True
        if self._loop is not None and self._event is not None:
            self._loop.call_soon_threadsafe(self._event.set)


class _LateNotifier:
    """The notification chain, filled in once the tray exists."""

    name = "chain"

    def __init__(self) -> None:
        self.backends: list[Notifier] = []

    async def notify(self, notification: Notification) -> bool:
        return await FallbackNotifier(self.backends).notify(notification)

    async def aclose(self) -> None:
        for backend in self.backends:
            closer = getattr(backend, "aclose", None)
            if closer is not None:
                await closer()


def _notifiers(tray: QSystemTrayIcon, config: Config) -> list[Notifier]:
    from traywatch.notify.freedesktop import FreedesktopNotifier
    from traywatch.ui.notifiers import TrayMessageNotifier

    backends: list[Notifier] = []
    if sys.platform.startswith("linux") and FreedesktopNotifier.possible():
        backends.append(
            FreedesktopNotifier(
                icon_for=_notification_icon_path,
                on_open=_open_url,
                sound=config.notifications.sound,
            )
        )
    backends.append(TrayMessageNotifier(tray))
    return backends


def _open_url(url: str) -> None:
    log.info("opening %s", url)
    QDesktopServices.openUrl(QUrl(url))


def _notification_icon_path(notification: Notification) -> str:
    """A PNG of the state icon (notification servers read files, not Qt icons)."""
    import platformdirs

    from traywatch.ui.icons import state_icon

    state = TrayState.of(notification.severity)
    directory = Path(platformdirs.user_cache_dir("traywatch")) / "icons"
    path = directory / f"{state.value}.png"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        state_icon(state).pixmap(64, 64).save(str(path), "PNG")
    return str(path)


def _open_store() -> HistoryStore:
    import sqlite3

    try:
        return HistoryStore(default_store_path())
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        log.error("state store unavailable (%s): nothing will be remembered this time", exc)
        return HistoryStore(":memory:")


def _open_settings(config_path: str | None, config: Config) -> None:
    """Until the settings window exists: open the config file, written out if missing."""
    path, _ = resolve_config_path(config_path)
    if not path.exists():
        try:
            write_config(config, path)
        except (OSError, ConfigError) as exc:
            log.error("could not write %s: %s", path, exc)
            return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _log_loop_exception(loop: object, context: dict[str, object]) -> None:
    exception = context.get("exception")
    log.error(
        "unhandled error in the event loop: %s",
        context.get("message"),
        exc_info=exception if isinstance(exception, BaseException) else None,
    )


def _log_exception(kind: type[BaseException], value: BaseException, tb: object) -> None:
    log.error("unhandled error", exc_info=(kind, value, tb))  # type: ignore[arg-type]
