"""Background work a window started on the event loop (qasync's, in the app): reading
the store, mostly. One task per purpose: a newer one replaces the older (the user moved
on), a failure is logged rather than lost, and everything is cancelled when the window
goes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class Loads:
    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Future[Any]] = {}

    def start(self, purpose: str, work: Coroutine[Any, Any, Any]) -> None:
        """Runs `work`, cancelling what was still running for the same purpose."""
        old = self._tasks.pop(purpose, None)
        if old is not None:
            old.cancel()
        task = asyncio.ensure_future(work)
        self._tasks[purpose] = task
        task.add_done_callback(lambda done: self._finished(purpose, done))

    def busy(self, purpose: str) -> bool:
        return purpose in self._tasks

    def _finished(self, purpose: str, task: asyncio.Future[Any]) -> None:
        if self._tasks.get(purpose) is task:
            del self._tasks[purpose]
        if not task.cancelled() and task.exception() is not None:
            log.error("window: %s failed", purpose, exc_info=task.exception())

    async def settled(self) -> None:
        """Returns once nothing is running (also what the finished work started)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
