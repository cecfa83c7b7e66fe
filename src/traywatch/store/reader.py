"""The state store, awaitable: what the window reads, read off the caller's thread.

The GUI thread never waits on SQLite: each call runs on one worker thread that has its
own connection to the database (WAL mode lets it read while the monitor writes) and is
awaited on the caller's event loop (qasync's, in the app). One thread, so calls run in
the order they were made and the connection is never shared."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, ParamSpec, TypeVar

from traywatch.store.history import HistoryStore

P = ParamSpec("P")
T = TypeVar("T")


class StoreReader:
    def __init__(self, store: HistoryStore) -> None:
        self._store = store
        self._executor: ThreadPoolExecutor | None = None
        self._own: HistoryStore | None = None  # the worker's connection, opened there
        self._closed = False

    async def call(
        self,
        method: Callable[Concatenate[HistoryStore, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """`method(store, *args)` on the worker, e.g.
        `await reader.call(HistoryStore.history_count, query)`."""
        if self._closed:
            raise RuntimeError("the store reader is closed")
        if self._store.path is None:
            # An in-memory store (the fallback when the file cannot be used) is seen by
            # its own connection only, and there is no disk to wait for.
            return method(self._store, *args, **kwargs)
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="traywatch-store")
        loop = asyncio.get_running_loop()
        work = functools.partial(self._run, method, *args, **kwargs)
        return await loop.run_in_executor(self._executor, work)

    def _run(self, method: Callable[..., T], *args: object, **kwargs: object) -> T:
        if self._own is None:
            assert self._store.path is not None
            self._own = HistoryStore(self._store.path)
        return method(self._own, *args, **kwargs)

    def close(self) -> None:
        """Closes the worker's connection and ends the worker; pending calls finish first."""
        self._closed = True
        if self._executor is None:
            return
        self._executor.submit(self._close_own)
        self._executor.shutdown(wait=True)
        self._executor = None

    def _close_own(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None
