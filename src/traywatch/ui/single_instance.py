"""One traywatch per user: a second start asks the first to show its window, then exits.

Who is the one is decided by a lock file held for the whole life of the process
(QLockFile: a lock left by a killed process is recognised by its dead PID and taken
over at once), never by who manages to listen on the socket first; the local
socket only carries commands to the holder: `show`, `refresh` (poll everything
now), `settings`, and `stats`, which answers with one line of JSON."""

from __future__ import annotations

import getpass
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDir, QLockFile, QObject, Signal

if TYPE_CHECKING:
    # QtNetwork is imported where it is used: taking the lock comes before the tray
    # icon, listening after it (measured: ~10 ms less before the icon).
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

SHOW = "show"
REFRESH = "refresh"
SETTINGS = "settings"
STATS = "stats"


def server_name() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    return f"traywatch-{user}"


class SingleInstance(QObject):
    show_requested = Signal()
    refresh_requested = Signal()
    settings_requested = Signal()

    def __init__(self, name: str | None = None) -> None:
        super().__init__()
        self.name = name or server_name()
        # Beside the socket, which Qt puts in the temporary directory too.
        self._lock = QLockFile(f"{QDir.tempPath()}/{self.name}.lock")
        self._lock.setStaleLockTime(0)  # held for a lifetime: only a dead owner makes it stale
        self._server: QLocalServer | None = None
        self.stats: Callable[[], dict[str, Any]] | None = None

    def acquire(self) -> bool:
        """True when this process is now the one traywatch (until it exits)."""
        return bool(self._lock.tryLock(0))

    def holder(self) -> int | None:
        """The process id of the instance holding the lock, if it says."""
        info = self._lock.getLockInfo()  # (pid, host, app name); pid 0 when unknown
        return int(info[0]) if info and int(info[0]) > 0 else None

    def ask_running_instance(self, command: str = SHOW, timeout_ms: int = 1000) -> bool:
        """True when another instance answered (and was sent `command`)."""
        socket = self._connect(timeout_ms)
        if socket is None:
            return False
        socket.write(command.encode() + b"\n")
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def query_running_instance(self, command: str, timeout_ms: int = 3000) -> str | None:
        """Send `command` and return the one line the running instance answers."""
        socket = self._connect(timeout_ms)
        if socket is None:
            return None
        socket.write(command.encode() + b"\n")
        socket.waitForBytesWritten(timeout_ms)
        deadline = time.monotonic() + timeout_ms / 1000
        while not socket.canReadLine() and time.monotonic() < deadline:
            socket.waitForReadyRead(100)
        answer = bytes(socket.readLine().data()).decode(errors="replace").strip()
        socket.disconnectFromServer()
        return answer or None

    def _connect(self, timeout_ms: int) -> QLocalSocket | None:
        """Connect, retrying for a while: the holder of the lock may still be starting."""
        from PySide6.QtNetwork import QLocalSocket

        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(max(int((deadline - time.monotonic()) * 1000), 1)):
                return socket
            if time.monotonic() >= deadline or self.holder() is None:
                return None  # out of patience, or nobody is running at all
            time.sleep(0.05)

    def listen(self) -> bool:
        """Serve commands; only the holder of the lock calls this, so a socket file
        still there was left by a dead instance and is removed."""
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.name)
        if not server.listen(self.name):
            log.warning("commands from other starts will not arrive: %s", server.errorString())
            return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        for line in bytes(socket.readAll().data()).decode(errors="replace").splitlines():
            command = line.strip()
            if command == SHOW:
                self.show_requested.emit()
            elif command == REFRESH:
                self.refresh_requested.emit()
            elif command == SETTINGS:
                self.settings_requested.emit()
            elif command == STATS and self.stats is not None:
                import json

                socket.write(json.dumps(self.stats()).encode() + b"\n")
                socket.flush()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()
