"""The app's event loop: qasync's, with callbacks scheduled the way asyncio's own loop does.

qasync starts a Qt timer for every callback, `call_soon` included, and a timer whose
callback was cancelled still fires: each poll's 30 s timeout, cancelled when the answer
came in a millisecond, woke the idle process 30 s later for nothing, and one poll started
and killed a dozen zero-time timers. Here the callbacks due now wait in one queue, drained
by a single zero-time timer at each turn of Qt's loop (as asyncio runs its ready queue),
and a cancelled timer is killed. Sockets, threads and everything else stay qasync's.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from contextvars import Context
from typing import Any

import qasync
from PySide6.QtCore import QObject, Qt, QTimerEvent
from PySide6.QtWidgets import QApplication

_LONGEST_TIMER_MS = 2**31 - 1  # Qt counts a timer's milliseconds in an int


class _TimerHandle(asyncio.TimerHandle):
    __slots__ = ("qt_timer",)  # while it waits for its time: the id of its Qt timer, else 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.qt_timer = 0


class _Timers(QObject):
    """The Qt timers behind the loop's callbacks: one per delayed callback, and one that
    runs the callbacks due now."""

    def __init__(self) -> None:
        super().__init__()
        self.ready: deque[asyncio.Handle] = deque()
        self._delayed: dict[int, _TimerHandle] = {}
        self._drain_timer = 0
        self._closed = False

    def run_soon(self, handle: asyncio.Handle) -> None:
        self.ready.append(handle)
        if not self._drain_timer and not self._closed:
            self._drain_timer = self.startTimer(0)

    def run_later(self, handle: _TimerHandle, delay: float) -> None:
        if self._closed:
            return
        # Never early, as asyncio promises: whole milliseconds rounded up, and a precise
        # timer (a coarse one fires up to 5 % early). The poller's schedule gathers the
        # polls' wake-ups itself. Beyond Qt's longest timer (24 days) it is set again.
        milliseconds = min(math.ceil(delay * 1000), _LONGEST_TIMER_MS)
        handle.qt_timer = self.startTimer(milliseconds, Qt.TimerType.PreciseTimer)
        self._delayed[handle.qt_timer] = handle

    def forget(self, handle: _TimerHandle) -> None:
        if self._delayed.pop(handle.qt_timer, None) is not None:
            self.killTimer(handle.qt_timer)
        handle.qt_timer = 0

    def timerEvent(self, event: QTimerEvent) -> None:
        timer = event.timerId()
        if timer == self._drain_timer:
            self._drain()
            return
        self.killTimer(timer)
        handle = self._delayed.pop(timer, None)
        if handle is None:
            return
        handle.qt_timer = 0
        if handle.cancelled():
            return
        early = handle.when() - time.monotonic()  # the loop's clock
        if early > 0:
            self.run_later(handle, early)
        else:
            handle._run()

    def _drain(self) -> None:
        # Only those queued before this turn: what they queue runs at the next one, after
        # Qt has handled its own events (input, painting) in between.
        for _ in range(len(self.ready)):
            if not self.ready:  # a callback ran a nested Qt loop, which drained the rest
                break
            handle = self.ready.popleft()
            if not handle.cancelled():
                handle._run()
        if not self.ready and self._drain_timer:
            self.killTimer(self._drain_timer)
            self._drain_timer = 0

    def close(self) -> None:
        self._closed = True
        for timer in [*self._delayed, self._drain_timer]:
            if timer:
                self.killTimer(timer)
        self._delayed.clear()
        self._drain_timer = 0
        self.ready.clear()


class TrayEventLoop(qasync.QEventLoop):  # type: ignore[misc]
    """qasync's loop for `app`, with cheaper timers and a one-thread default executor."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._timers = _Timers()
        # qasync's default executor starts ten threads; one is all traywatch needs.
        self.set_default_executor(qasync.QThreadExecutor(1))

    def call_soon(
        self, callback: Callable[..., object], *args: Any, context: Context | None = None
    ) -> asyncio.Handle:
        handle = asyncio.Handle(callback, args, self, context)
        self._timers.run_soon(handle)
        return handle

    def call_later(
        self,
        delay: float,
        callback: Callable[..., object],
        *args: Any,
        context: Context | None = None,
    ) -> asyncio.TimerHandle:
        return self.call_at(self.time() + delay, callback, *args, context=context)

    def call_at(
        self,
        when: float,
        callback: Callable[..., object],
        *args: Any,
        context: Context | None = None,
    ) -> asyncio.TimerHandle:
        handle = _TimerHandle(when, callback, args, self, context)
        delay = when - self.time()
        if delay <= 0:
            self._timers.run_soon(handle)
        else:
            self._timers.run_later(handle, delay)
        return handle

    def _timer_handle_cancelled(self, handle: asyncio.TimerHandle) -> None:
        # asyncio calls this when a TimerHandle is cancelled: its Qt timer goes at once.
        if isinstance(handle, _TimerHandle) and handle.qt_timer:
            self._timers.forget(handle)

    def close(self) -> None:
        if self.is_closed():
            return
        super().close()
        self._timers.close()
