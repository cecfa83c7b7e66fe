"""Knowing that the last run did not end well, and why where possible.

A fatal error in native code (a Qt or binding bug) kills the process without a
Python traceback or a log line; `faulthandler` then writes the stacks to
`crash.log` in the state directory. A marker file names the running process and
is removed on a clean exit, so the next start can tell that the previous run
ended abnormally (a crash, or a kill) and say so once, with where to look."""

from __future__ import annotations

import faulthandler
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple, TextIO

log = logging.getLogger(__name__)

MARKER = "running"
CRASH_LOG = "crash.log"
KEPT_CRASH_LOGS = 5


def default_state_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("traywatch"))


class AbnormalEnd(NamedTuple):
    # Not a dataclass: this module is loaded before the tray icon shows, and the
    # dataclasses module alone took ~5 ms to import there (measured).
    started_at: datetime | None
    crash_log: Path | None  # kept with the fatal error's stacks, when there were any

    def explain(self, log_file: Path | None) -> str:
        since = (
            f" (started {self.started_at.astimezone():%Y-%m-%d %H:%M})" if self.started_at else ""
        )
        if self.crash_log is not None:
            return (
                f"traywatch stopped unexpectedly last time{since}: a fatal error. "
                f"Its details are in {self.crash_log}; please attach that file to a bug report."
            )
        where = f" The log is {log_file}." if log_file is not None else ""
        return (
            f"traywatch did not shut down cleanly last time{since}: it was killed or the "
            f"computer stopped. Checks went on from where they were.{where}"
        )


class CrashGuard:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_state_dir()
        self._file: TextIO | None = None

    @property
    def marker(self) -> Path:
        return self.directory / MARKER

    @property
    def crash_log(self) -> Path:
        return self.directory / CRASH_LOG

    def start(self) -> AbnormalEnd | None:
        """Arm the crash log for this run; returns how the previous run ended, when
        it did not end cleanly. Never raises: a read-only home must not stop the app."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            previous = self._previous_end()
            self._file = self.crash_log.open("w", encoding="utf-8")
            faulthandler.enable(self._file, all_threads=True)
            self.marker.write_text(
                f"{os.getpid()}\n{datetime.now(UTC).isoformat()}\n", encoding="utf-8"
            )
        except OSError as exc:
            log.warning("no crash log this time (%s)", exc)
            return None
        return previous

    def clean_exit(self) -> None:
        if self._file is None:
            return
        faulthandler.disable()
        self._file.close()
        self._file = None
        try:
            self.marker.unlink(missing_ok=True)
            if self.crash_log.stat().st_size == 0:
                self.crash_log.unlink()
        except OSError as exc:
            log.warning("could not tidy the crash log: %s", exc)

    def _previous_end(self) -> AbnormalEnd | None:
        if not self.marker.exists():
            return None
        started_at = _started_at(self.marker)
        kept = None
        if self.crash_log.exists() and self.crash_log.stat().st_size > 0:
            stamp = (started_at or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
            kept = self.directory / f"crash-{stamp}.log"
            os.replace(self.crash_log, kept)
            self._forget_old_crash_logs()
        self.marker.unlink(missing_ok=True)
        return AbnormalEnd(started_at, kept)

    def _forget_old_crash_logs(self) -> None:
        logs = sorted(self.directory.glob("crash-*.log"))
        for old in logs[:-KEPT_CRASH_LOGS]:
            old.unlink(missing_ok=True)


def _started_at(marker: Path) -> datetime | None:
    try:
        lines = marker.read_text(encoding="utf-8").splitlines()
        return datetime.fromisoformat(lines[1])
    except (OSError, ValueError, IndexError):
        return None
