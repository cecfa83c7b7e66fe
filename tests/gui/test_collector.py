"""Cycles of Qt objects are collected on the GUI thread, never by the store's worker
thread (which destroyed them there: "Timers cannot be stopped from another thread")."""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from traywatch.store import HistoryStore
from traywatch.store.reader import StoreReader
from traywatch.ui.collector import GuiThreadCollector


class Holder:
    """A Python object in a cycle with a Qt object it owns."""

    def __init__(self, destroyed_in: list[int]) -> None:
        self.timer = QTimer()  # goes with it, in the thread that collects the cycle
        weakref.finalize(self, lambda: destroyed_in.append(threading.get_ident()))
        self.me = self  # the cycle


def allocate(_store: HistoryStore) -> int:
    """Work on the worker thread that allocates enough to cross the collector's threshold."""
    return len([[n] for n in range(50_000)])


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[StoreReader]:
    store = HistoryStore(tmp_path / "s.db")
    worker = StoreReader(store)
    yield worker
    worker.close()
    store.close()


def test_cycles_are_collected_on_the_gui_thread(
    reader: StoreReader, loop: asyncio.AbstractEventLoop
) -> None:
    gc.enable()  # as a plain interpreter runs, before the collector takes over
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()
        destroyed_in: list[int] = []
        Holder(destroyed_in)
        loop.run_until_complete(reader.call(allocate))
        assert destroyed_in == []  # the worker did not collect it
        while not destroyed_in:
            collector.collect_due() or gc.collect()
        assert destroyed_in == [threading.get_ident()]
    finally:
        collector.stop()
    assert gc.isenabled()
    gc.disable()  # as the suite's fixture left it


def test_a_collection_on_the_worker_thread_destroys_qt_objects_there(
    reader: StoreReader, loop: asyncio.AbstractEventLoop
) -> None:
    """What the collector prevents, shown to happen (so that the test above can fail)."""
    destroyed_in: list[int] = []
    Holder(destroyed_in)
    worker = loop.run_until_complete(reader.call(lambda _s: (gc.collect(), threading.get_ident())))
    assert destroyed_in == [worker[1]]
    assert worker[1] != threading.get_ident()
