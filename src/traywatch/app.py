"""The desktop app's composition root: Qt application, qasync loop, monitor, tray.

Start-up order matters (measured, see BENCHMARKS.md): right after the single-instance
lock, the tray icon as the last run left it is shown (ui/first_icon.py), before the
config, the store, the monitor or their modules are imported — this module imports
only what that needs at its top. The tray controller then takes that icon over and
draws the stored state; the poller (which loads the HTTP stack) starts only once the
panel has had a moment to register the icon."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QMessageLogContext,
    QSocketNotifier,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from traywatch import APP_ID
from traywatch.crashlog import AbnormalEnd, CrashGuard
from traywatch.ui.collector import GuiThreadCollector
from traywatch.ui.first_icon import remember, show_first_icon
from traywatch.ui.single_instance import SingleInstance

if TYPE_CHECKING:
    # Imported for real only once the icon is up (see ui/first_icon.py).
    import asyncio

    from PySide6.QtWidgets import QWidget

    from traywatch.config.schema import Config
    from traywatch.monitor import Monitor
    from traywatch.notify.base import Notifier
    from traywatch.notify.policy import Notification
    from traywatch.store.history import HistoryStore
    from traywatch.ui.settings_window import SettingsWindow
    from traywatch.ui.tray import TrayController
    from traywatch.ui.window import MainWindow

log = logging.getLogger("traywatch.app")

TIME_SCALE_VARIABLE = "TRAYWATCH_TIME_SCALE"

# How long a second start waits for the first to answer: the first listens right
# after taking the lock, before it reads the config or touches the network.
SECOND_START_PATIENCE_MS = 10_000

# Time for the panel to register the icon (a few D-Bus round trips through our event
# loop) before the HTTP stack's imports block that loop for ~100 ms.
POLLER_START_DELAY = 0.3

# The icon is saved for the next start's first icon at most this often: after the start
# (which it would slow down), and not on every change of a busy watchlist.
ICON_MEMORY_DELAY_MS = 2000

NO_TRAY = (
    "No system tray was found (on GNOME, the AppIndicator extension provides one), "
    "so traywatch runs in this window. Closing it keeps traywatch running; "
    "start traywatch again to bring the window back."
)


def run_app(config_path: str | None, log_file: Path | None = None) -> int:
    install_error_handlers()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    collector = GuiThreadCollector(app)  # before any thread exists
    _identify(app)
    app.setQuitOnLastWindowClosed(False)

    instance = SingleInstance()
    if not instance.acquire():
        # Another start holds the lock; it listens within moments of taking it.
        if instance.ask_running_instance(timeout_ms=SECOND_START_PATIENCE_MS):
            print("traywatch is already running: its window was asked to show.")
            return 0
        pid = instance.holder()
        print(
            f"traywatch is already running (process {pid or 'unknown'}) but does not answer.",
            file=sys.stderr,
        )
        return 1
    crash_guard = CrashGuard()
    previous_end = crash_guard.start()
    # Before the icon can be seen: whoever sees it may already ask the app to quit.
    quitting = _QuitRequest()
    wakeup = _quit_on_signals(quitting.request)
    # The icon as the last run left it, before the rest of the app is even imported.
    first_icon = show_first_icon()
    if first_icon is not None:
        app.processEvents()  # its registration with the panel goes out now
        log.info("tray icon shown as the last run left it")
    # A second start waits seconds for an answer; the icon need not wait for this.
    instance.listen()
    try:
        return _run_instance(
            app, instance, config_path, previous_end, log_file, quitting, first_icon
        )
    finally:
        wakeup.setEnabled(False)
        instance.close()
        crash_guard.clean_exit()
        collector.stop()


def _run_instance(
    app: QApplication,
    instance: SingleInstance,
    config_path: str | None,
    previous_end: AbnormalEnd | None,
    log_file: Path | None,
    quitting: _QuitRequest,
    first_icon: QSystemTrayIcon | None,
) -> int:
    from traywatch.config import load_config
    from traywatch.core.errors import ConfigError
    from traywatch.monitor import Monitor
    from traywatch.notify.base import FallbackNotifier
    from traywatch.ui.icons import application_icon
    from traywatch.ui.tray import TrayController, TrayHostWatch

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        if first_icon is not None:
            first_icon.hide()
        print(f"traywatch: config error: {exc}", file=sys.stderr)
        log.error("config error: %s", exc)
        return 3

    store, store_problem = _open_store()
    tray_notifier = _LateNotifier()
    monitor = Monitor(config, store, FallbackNotifier([tray_notifier]), time_scale=_time_scale())
    if previous_end is not None:
        monitor.note_at_start("traywatch was restarted", previous_end.explain(log_file))
    if store_problem is not None:
        monitor.note_at_start("traywatch cannot remember this time", store_problem)
    settings = _LazySettings(monitor, config_path)
    window = _LazyWindow(monitor, settings)

    def quit_app() -> None:
        quitting.request()

    def show_window() -> None:
        window.show()

    tray = TrayController(
        monitor,
        show_window=show_window,
        open_settings=lambda: settings.show(),
        quit_app=quit_app,
        show_service=window.show,
        edit_service=settings.show,
        remove_service=settings.remove,
    )
    if first_icon is not None:
        _adopt_first_icon(tray, first_icon)
    icon_memory = _IconMemory(tray)
    monitor.subscribe(icon_memory.update)
    icon_memory.update()  # even if nothing changes

    monitor.subscribe(window.update)
    instance.show_requested.connect(show_window)
    instance.refresh_requested.connect(lambda: monitor.refresh())
    instance.settings_requested.connect(settings.show)
    instance.stats = lambda: _stats(monitor, tray)

    late_tray: TrayHostWatch | None = None
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray.show()
        if not config.settings.start_hidden:
            show_window()
    else:
        log.warning("no system tray available: showing the window instead")
        window.get().show_notice(NO_TRAY, permanent=True)
        show_window()
        late_tray = TrayHostWatch(lambda: _tray_arrived(tray, window))
    app.processEvents()  # let the icon reach the panel before anything slow happens
    app.setWindowIcon(application_icon())

    tray_notifier.backends = _notifiers(tray.icon, config, window.show_notification)
    try:
        return _run_loop(app, monitor, tray, tray_notifier, store, quitting, window)
    finally:
        if late_tray is not None:
            late_tray.stop()
        # Windows go before the application object does, or Qt crashes on the way out.
        settings.dispose()
        window.dispose()


def _adopt_first_icon(tray: TrayController, first_icon: QSystemTrayIcon) -> None:
    """The controller takes over the icon already in the panel instead of showing its
    own: a second registration would make the icon blink or move there. The controller's
    own icon is never shown; its signal stays the one the controller listens to."""
    own = tray.icon
    first_icon.setParent(tray)
    first_icon.setContextMenu(tray.menu)
    first_icon.activated.connect(own.activated)
    tray.icon = first_icon
    tray.redraw()  # the state as stored now, tooltip and menu included


class _IconMemory:
    """Saves the tray icon whenever it changes, for the next start's first icon."""

    def __init__(self, tray: TrayController) -> None:
        self._tray = tray
        self._saved: int | None = None
        self._timer = QTimer(tray)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ICON_MEMORY_DELAY_MS)
        self._timer.timeout.connect(self._save)

    def update(self) -> None:
        if self._tray.icon.icon().cacheKey() != self._saved and not self._timer.isActive():
            self._timer.start()

    def _save(self) -> None:
        icon = self._tray.icon.icon()
        if icon.cacheKey() != self._saved:
            self._saved = icon.cacheKey()
            remember(icon)


def _identify(app: QApplication) -> None:
    """One application ID for menus, notifications and taskbar grouping."""
    app.setApplicationName("traywatch")
    app.setDesktopFileName(APP_ID)
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_ID)


def tell_running_app(command: str) -> bool:
    """Send a command to the running app; False when none is running."""
    from PySide6.QtCore import QCoreApplication

    _app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    return SingleInstance().ask_running_instance(command)


def running_app_stats() -> dict[str, object] | None:
    """The running app's figures (see `_stats`), with its memory as the kernel counts it."""
    import json

    from PySide6.QtCore import QCoreApplication

    from traywatch.ui.single_instance import STATS

    _app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    answer = SingleInstance().query_running_instance(STATS)
    if answer is None:
        return None
    stats: dict[str, object] = json.loads(answer)
    stats.update(process_memory(int(str(stats["pid"]))))
    return stats


def process_memory(pid: int) -> dict[str, object]:
    """RSS, PSS (KiB), open file descriptors and threads of a process, on Linux; {}
    elsewhere."""
    figures: dict[str, object] = {}
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("Rss", "Pss"):
                figures[f"{key.lower()}_kib"] = int(value.split()[0])
        figures["open_fds"] = len(list(Path(f"/proc/{pid}/fd").iterdir()))
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                figures["os_threads"] = int(line.split()[1])  # Qt's and Python's
    return figures


def _run_loop(
    app: QApplication,
    monitor: Monitor,
    tray: TrayController,
    notifier: _LateNotifier,
    store: HistoryStore,
    quitting: _QuitRequest,
    window: _LazyWindow,
) -> int:
    import asyncio

    from traywatch.ui.eventloop import TrayEventLoop

    loop = TrayEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(_log_loop_exception)

    async def main() -> None:
        done = asyncio.Event()
        quitting.attach(loop, done)
        window.loop_started()  # the window reads the store through the loop
        try:
            await asyncio.sleep(POLLER_START_DELAY)
            if not done.is_set():
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
        asyncio.set_event_loop(None)
        loop.close()
    log.info("quit")
    return 0


class _LazyWindow:
    """The main window, built the first time it is wanted, not at start-up. It reads the
    store through the event loop, so a wish to see it before the loop runs (at start-up)
    is kept until then."""

    def __init__(self, monitor: Monitor, settings: _LazySettings) -> None:
        self._monitor = monitor
        self._settings = settings
        self._window: MainWindow | None = None
        self._loop_running = False
        self._wanted: tuple[str | None, str | None] | None = None

    def get(self) -> MainWindow:
        if self._window is None:
            from traywatch.ui.window import MainWindow

            self._window = MainWindow(self._monitor)
            self._window.refresh_requested.connect(self._monitor.refresh)
            self._window.open_url.connect(_open_url)
            self._window.edit_requested.connect(self._settings.show)
            self._window.remove_requested.connect(self._settings.remove)
        return self._window

    def show(self, service: str | None = None, incident: str | None = None) -> None:
        if not self._loop_running:
            self._wanted = (service, incident)
            return
        self.get().bring_up(service, incident)

    def show_notification(self, notification: Notification) -> None:
        """A click on a notification: the window at its service and incident (a summary
        of several services opens the window as it is)."""
        watched = any(s.name == notification.service for s in self._monitor.services)
        log.info("notification clicked: showing %s", notification.service if watched else "all")
        if watched:
            self.show(notification.service, notification.incident_id)
        else:
            self.show()

    def loop_started(self) -> None:
        self._loop_running = True
        if self._wanted is not None:
            self.show(*self._wanted)
            self._wanted = None

    def dispose(self) -> None:
        if self._window is not None:
            self._window.dispose()
        _dispose(self._window)
        self._window = None

    def update(self) -> None:
        if self._window is not None and self._window.isVisible():
            self._window.refresh()


def _dispose(widget: QWidget | None) -> None:
    if widget is not None:
        from PySide6.QtCore import QEvent

        widget.close()
        widget.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


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
        from traywatch.notify.base import FallbackNotifier

        return await FallbackNotifier(self.backends).notify(notification)

    async def aclose(self) -> None:
        for backend in self.backends:
            closer = getattr(backend, "aclose", None)
            if closer is not None:
                await closer()


def _notifiers(
    tray: QSystemTrayIcon, config: Config, on_activate: Callable[[Notification], None]
) -> list[Notifier]:
    """A click on a notification opens the window at its service and incident: what
    people expect of an app's notification (the window says more than the page — whether
    it is them or me, what else is affected — and an endpoint has no page); the page is
    one more click, or the notification's "Status page" button where servers show one."""
    from traywatch.notify.freedesktop import FreedesktopNotifier
    from traywatch.ui.notifiers import TrayMessageNotifier

    backends: list[Notifier] = []
    if sys.platform.startswith("linux") and FreedesktopNotifier.possible():
        backends.append(
            FreedesktopNotifier(
                icon_for=_notification_icon_path,
                on_open=_open_url,
                on_activate=on_activate,
                sound=config.notifications.sound,
            )
        )
    backends.append(TrayMessageNotifier(tray, on_activate))
    return backends


def _quit_on_signals(quit_app: Callable[[], None]) -> QSocketNotifier:
    """SIGINT/SIGTERM quit cleanly. Python runs signal handlers only when it gets
    control, which the Qt loop rarely gives it: the signal's wake-up byte on a
    socket pair wakes Qt, and through it Python, with no polling timer."""
    import socket

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: quit_app())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)

    notifier.activated.connect(drain)
    _keep_alive.extend((reader, writer))
    return notifier


_keep_alive: list[object] = []


def _time_scale() -> float:
    """TRAYWATCH_TIME_SCALE=N runs every poll interval N times faster: for soak tests and
    benchmarks that need a day's refreshes in minutes, never for real use."""
    import math

    try:
        scale = float(os.environ.get(TIME_SCALE_VARIABLE, "1"))
    except ValueError:
        scale = 1.0
    if not math.isfinite(scale) or scale < 1:
        scale = 1.0
    if scale != 1.0:
        log.warning(
            "%s=%g: polling %g times faster than configured", TIME_SCALE_VARIABLE, scale, scale
        )
    return scale


def _tray_arrived(tray: TrayController, window: _LazyWindow) -> None:
    log.info("a system tray appeared: showing the icon there")
    tray.show()
    window.get().clear_notice()


def _stats(monitor: Monitor, tray: TrayController) -> dict[str, object]:
    """What the running app costs, for `traywatch stats` and the soak benchmarks."""
    import asyncio
    import threading

    try:
        tasks = len(asyncio.all_tasks())
    except RuntimeError:  # asked before the loop runs
        tasks = 0
    return {
        "pid": os.getpid(),
        "services": len(monitor.services),
        "tasks": tasks,
        "python_threads": threading.active_count(),
        "none_refcount": sys.getrefcount(None),
        "view_refreshes": tray.refreshes,
        "tray_visible": tray.icon.isVisible(),
        "polls": monitor.polls,
    }


def _open_url(url: str) -> None:
    log.info("opening %s", url)
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl(url))


def _notification_icon_path(notification: Notification) -> str:
    """A PNG of the state icon (notification servers read files, not Qt icons)."""
    import platformdirs

    from traywatch.core.health import TrayState
    from traywatch.ui.icons import state_icon

    state = TrayState.of(notification.severity)
    directory = Path(platformdirs.user_cache_dir("traywatch")) / "icons"
    path = directory / f"{state.value}.png"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        state_icon(state).pixmap(64, 64).save(str(path), "PNG")
    return str(path)


def _open_store() -> tuple[HistoryStore, str | None]:
    """The state store, or one in memory (and why) when the file cannot be used: the
    file is left as it is, for the user or a later version to look at."""
    import sqlite3

    from traywatch.store.history import HistoryStore, default_store_path

    path = default_store_path()
    try:
        return HistoryStore(path), None
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        log.error("state store unavailable (%s): nothing will be remembered this time", exc)
        problem = (
            f"Its state file {path} could not be used ({exc}); it was left untouched. "
            "What is seen and said now is forgotten when traywatch quits."
        )
        return HistoryStore(":memory:"), problem


class _LazySettings:
    """The settings window, built when first opened; applying reconfigures the monitor."""

    def __init__(self, monitor: Monitor, config_path: str | None) -> None:
        self._monitor = monitor
        self._config_path = config_path
        self._window: SettingsWindow | None = None
        self._tasks: set[asyncio.Future[None]] = set()

    def dispose(self) -> None:
        _dispose(self._window)
        self._window = None

    def show(self, service: str | None = None) -> None:
        if self._window is None or not self._window.isVisible():
            _dispose(self._window)
            self._window = self._build()
        if service is not None:
            self._select(service)
        self._window.show()
        self._window.raise_()
        self._window.activateWindow()

    def _select(self, service: str) -> None:
        """Opens the settings at one service ("Edit…"): its row in the settings' list,
        which lists the config's services in their order."""
        names = [s.name for s in self._monitor.config.services]
        if self._window is not None and service in names:
            self._window.service_list.setCurrentRow(names.index(service))

    def remove(self, service: str) -> None:
        """ "Remove…" in the tray menu or the window: asked first, then the config file
        loses the service (kept as it is otherwise) and the monitor applies it."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove service",
            f"Stop watching {service}? Its history is kept.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._remove_or_say_why(service))
        box.open()

    def _remove_or_say_why(self, service: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        problem = self.remove_now(service)
        if problem is not None:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Remove service",
                f"{service} was not removed: {problem}",
                QMessageBox.StandardButton.Ok,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def remove_now(self, service: str) -> str | None:
        """Removes it without asking; returns why it could not be, or None."""
        import asyncio
        from dataclasses import replace

        from traywatch.config import load_config
        from traywatch.config.store import resolve_config_path, write_config
        from traywatch.core.errors import ConfigError

        path, _ = resolve_config_path(self._config_path)
        try:
            current = load_config(path)  # the file as it is now, hand edits included
            kept = tuple(s for s in current.services if s.name != service)
            write_config(replace(current, services=kept), path)
            config = load_config(path)
        except (ConfigError, OSError) as exc:
            log.error("could not remove %s: %s", service, exc)
            return str(exc)
        task = asyncio.ensure_future(self._monitor.reconfigure(config))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return None

    def _build(self) -> SettingsWindow:
        import asyncio

        from traywatch import autostart
        from traywatch.config import secrets
        from traywatch.config.store import resolve_config_path
        from traywatch.probe import probe
        from traywatch.ui.settings_window import SettingsWindow

        path, _ = resolve_config_path(self._config_path)
        backend = secrets.backend()

        def store_secret(ref: str, value: str, allow_insecure: bool) -> str | None:
            try:
                secrets.set_secret(ref, value, allow_insecure=allow_insecure)
            except secrets.SecretsUnavailable as exc:
                return str(exc)
            return None

        def set_autostart(on: bool) -> None:
            try:
                if on:
                    autostart.enable()
                else:
                    autostart.disable()
            except OSError as exc:
                log.error("start at login not changed: %s", exc)

        def applied(config: Config) -> None:
            task = asyncio.ensure_future(self._monitor.reconfigure(config))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        window = SettingsWindow(
            self._monitor.config,
            path,
            probe=lambda service: probe(service, self._monitor.config.settings),
            store_secret=store_secret,
            keyring_status=backend.name,  # the window says when it is not a safe one
            keyring_secure=backend.secure,
            autostart=(autostart.is_enabled, set_autostart),
            components_of=self._monitor.components,
        )
        window.applied.connect(applied)
        return window


def install_error_handlers() -> None:
    """A Python error in a Qt slot, and Qt's own warnings, go to the log: PySide6 hands
    a slot's exception to sys.excepthook and carries on, so the app stays up."""
    sys.excepthook = _log_exception
    qInstallMessageHandler(_log_qt_message)


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    logging.getLogger("traywatch.qt").log(
        _QT_LEVELS.get(kind, logging.WARNING), "%s (%s)", message, context.category
    )


def _log_loop_exception(loop: object, context: dict[str, object]) -> None:
    exception = context.get("exception")
    log.error(
        "unhandled error in the event loop: %s",
        context.get("message"),
        exc_info=exception if isinstance(exception, BaseException) else None,
    )


def _log_exception(kind: type[BaseException], value: BaseException, tb: object) -> None:
    log.error("unhandled error", exc_info=(kind, value, tb))  # type: ignore[arg-type]
