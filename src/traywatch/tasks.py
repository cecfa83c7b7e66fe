"""Background tasks that are owned: none ends unnoticed, long-running ones come back.

asyncio keeps only a weak reference to a task and reports its exception, if ever,
when the task is garbage-collected ("Task exception was never retrieved"), long
after the fact and with no one to tell the user. Every background coroutine of
traywatch goes through a TaskSupervisor instead: a failure is logged at once with
its traceback, reported to whoever shows it, and a supervised loop is restarted
with backoff; `close()` cancels everything and waits for it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio  # imported when the first task starts: the tray icon comes first

log = logging.getLogger(__name__)

FIRST_RESTART_DELAY = 1.0
MAX_RESTART_DELAY = 300.0
# A loop that ran this long before failing starts its backoff afresh.
HEALTHY_RUN = 600.0

CrashListener = Callable[[str, BaseException], None]


def restart_delay(crashes_in_a_row: int) -> float:
    """1 s, 2 s, 4 s … up to 5 minutes."""
    return float(min(FIRST_RESTART_DELAY * 2.0 ** max(crashes_in_a_row - 1, 0), MAX_RESTART_DELAY))


class TaskSupervisor:
    def __init__(self, on_crash: CrashListener | None = None) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._on_crash = on_crash
        self._closed = False

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, coroutine: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        """Run once; a failure is logged and reported, never lost."""
        import asyncio

        task = asyncio.ensure_future(self._once(coroutine, name, self._on_crash))
        task.set_name(name)
        self._own(task)
        return task

    def supervise(
        self,
        factory: Callable[[], Coroutine[Any, Any, None]],
        name: str,
        on_crash: CrashListener | None = None,
    ) -> asyncio.Task[None]:
        """Run a loop that should run forever; when it fails, log, report (to `on_crash`
        if given, else to the supervisor's listener) and restart it with backoff."""
        import asyncio

        task = asyncio.ensure_future(self._forever(factory, name, on_crash or self._on_crash))
        task.set_name(name)
        self._own(task)
        return task

    async def close(self) -> None:
        import asyncio

        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _own(self, task: asyncio.Task[None]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _once(
        self, coroutine: Coroutine[Any, Any, None], name: str, on_crash: CrashListener | None
    ) -> None:
        import asyncio

        try:
            await coroutine
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            _crashed(name, exc, on_crash)

    async def _forever(
        self,
        factory: Callable[[], Coroutine[Any, Any, None]],
        name: str,
        on_crash: CrashListener | None,
    ) -> None:
        import asyncio

        crashes = 0
        while not self._closed:
            started = time.monotonic()
            try:
                await factory()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _crashed(name, exc, on_crash)
            else:
                return  # it finished on purpose
            crashes = 1 if time.monotonic() - started > HEALTHY_RUN else crashes + 1
            delay = restart_delay(crashes)
            log.info("%s: restarting in %.0f s", name, delay)
            await asyncio.sleep(delay)


def _crashed(name: str, exc: BaseException, on_crash: CrashListener | None) -> None:
    log.error("%s failed", name, exc_info=exc)
    if on_crash is not None:
        try:
            on_crash(name, exc)
        except Exception:
            log.exception("%s: reporting its failure failed too", name)
