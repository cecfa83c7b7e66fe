"""The app's event loop (qasync's, ui/eventloop.py) the window reads the store through
(`loop`)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    from traywatch.ui.eventloop import TrayEventLoop

    event_loop = TrayEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    event_loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread() -> Iterator[None]:
    """As the app does (ui/collector.py): no cycle of Qt objects is collected by the
    store's worker thread. The garbage of earlier tests first, and each test's after it,
    are collected here, on the GUI thread."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture(autouse=True)
def _no_quit_when_a_window_closes(qapp: QApplication) -> None:
    """As the app does (a tray app): a test's window closing must not quit the event loop
    a later test runs (it made that test's loop stop before its work was done)."""
    qapp.setQuitOnLastWindowClosed(False)
