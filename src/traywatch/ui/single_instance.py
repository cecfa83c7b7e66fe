"""One traywatch per user: a second start asks the first to show its window, then exits.

The same local socket carries `traywatch refresh` (poll everything now) to the running app."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

SHOW = "show"
REFRESH = "refresh"
SETTINGS = "settings"


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
        self._server: QLocalServer | None = None

    def ask_running_instance(self, command: str = SHOW, timeout_ms: int = 1000) -> bool:
        """True when another instance answered (and was sent `command`)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(command.encode() + b"\n")
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A server file left by a crashed instance: nobody answered above, so remove it.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
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
            if line.strip() == SHOW:
                self.show_requested.emit()
            elif line.strip() == REFRESH:
                self.refresh_requested.emit()
            elif line.strip() == SETTINGS:
                self.settings_requested.emit()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
