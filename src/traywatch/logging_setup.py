"""Logging to a rotating file in the user's log directory, and to stderr with --verbose.

Credentials in URLs (https://user:pass@host) are masked in every record."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from traywatch.core.text import without_controls, without_credentials

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = without_credentials(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class TerminalFormatter(logging.Formatter):
    """Records as text a terminal cannot mistake for escape sequences."""

    def format(self, record: logging.LogRecord) -> str:
        return without_controls(super().format(record))


class LogFileHandler(logging.FileHandler):
    """The log file, rotated when it reaches `max_bytes`: `backups` older files are
    kept as .1 (the newest) to .N. When it cannot be written (a full disk), the user is
    told once on stderr instead of getting a traceback for every record.

    Not logging.handlers' rotating handler: that module and what it imports (sockets,
    pickle, queues) cost ~9 ms before the tray icon shows (measured), for ten lines."""

    failed = False

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
        except OSError:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        size = self.stream.seek(0, os.SEEK_END)
        return size > 0 and size + len(self.format(record)) + 1 > self.max_bytes

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # reopened by the next record
        base = self.baseFilename
        for number in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{number}"):
                os.replace(f"{base}.{number}", f"{base}.{number + 1}")
        if self.backups > 0:
            os.replace(base, f"{base}.1")
        else:
            os.remove(base)

    def handleError(self, record: logging.LogRecord) -> None:
        if self.failed:
            return  # each record is still tried: logging resumes once there is room
        self.failed = True
        error = sys.exc_info()[1]
        reason = getattr(error, "strerror", None) or type(error).__name__
        if sys.stderr is not None:  # None in a GUI process without a console
            sys.stderr.write(
                f"traywatch: cannot write the log file {self.baseFilename} ({reason}); "
                "log records are lost until it can be written again\n"
            )


def default_log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("traywatch"))


def setup_logging(verbose: bool = False, log_dir: Path | None = None) -> Path | None:
    """Configure the root logger once; returns the log file in use, if any."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    redactor = RedactingFilter()
    log_file: Path | None = None
    try:
        directory = log_dir or default_log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        log_file = directory / "traywatch.log"
        handler: logging.Handler = LogFileHandler(log_file, max_bytes=1_000_000, backups=3)
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(redactor)
        root.addHandler(handler)
    except OSError:
        log_file = None  # a read-only home must not stop the app
    if verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(TerminalFormatter("%(levelname)s %(name)s: %(message)s"))
        stream.addFilter(redactor)
        root.addHandler(stream)
    # Per-request chatter of the HTTP stack is noise even in verbose mode.
    for noisy in ("httpx", "httpcore", "qasync", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return log_file
