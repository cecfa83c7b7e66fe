"""The app's event loop (ui/eventloop.py): asyncio's order of callbacks, no timer left to
fire for a cancelled callback, and everything else as qasync's loop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication

from traywatch.ui import eventloop
from traywatch.ui.eventloop import TrayEventLoop


class TimerEvents(QObject):
    """Counts the Qt timer events the whole application receives."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Timer:
            self.count += 1
        return False


@pytest.fixture
def timer_events(qapp: QApplication) -> Iterator[TimerEvents]:
    counter = TimerEvents()
    qapp.installEventFilter(counter)
    yield counter
    qapp.removeEventFilter(counter)


def test_callbacks_run_in_the_order_asked_and_what_they_ask_for_at_the_next_turn(
    loop: TrayEventLoop,
) -> None:
    ran: list[str] = []

    def first() -> None:
        ran.append("first")
        loop.call_soon(ran.append, "asked by first")

    async def main() -> None:
        loop.call_soon(first)
        loop.call_soon(ran.append, "second")
        loop.call_later(0, ran.append, "third")
        cancelled = loop.call_soon(ran.append, "cancelled")
        cancelled.cancel()
        await asyncio.sleep(0.05)

    loop.run_until_complete(main())
    assert ran == ["first", "second", "third", "asked by first"]


def test_a_timeout_that_did_not_expire_does_not_wake_the_loop_later(
    loop: TrayEventLoop, timer_events: TimerEvents
) -> None:
    # Each poll runs under a timeout that its answer beats: qasync's own loop left each
    # one's timer to fire anyway, waking an idle app once per poll for nothing.
    async def answered_in_time() -> None:
        for _ in range(20):
            async with asyncio.timeout(0.2):
                await asyncio.sleep(0)

    async def main() -> int:
        await answered_in_time()
        before = timer_events.count
        await asyncio.sleep(0.5)  # past every one of those timeouts
        return timer_events.count - before

    woken = loop.run_until_complete(main())
    assert woken <= 2  # the sleep's own timer (and at most one turn of callbacks)


def test_a_delayed_callback_is_not_early(loop: TrayEventLoop) -> None:
    async def slept() -> float:
        started = time.monotonic()
        await asyncio.sleep(0.05)
        return time.monotonic() - started

    assert loop.run_until_complete(slept()) >= 0.05


def test_a_callback_that_raises_goes_to_the_exception_handler_and_the_loop_goes_on(
    loop: TrayEventLoop,
) -> None:
    reported: list[str] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(str(context["exception"])))

    def broken() -> None:
        raise ValueError("broken callback")

    async def main() -> str:
        loop.call_soon(broken)
        await asyncio.sleep(0.01)
        return "went on"

    assert loop.run_until_complete(main()) == "went on"
    assert reported == ["broken callback"]


def test_closing_the_loop_drops_its_pending_callbacks(qapp: QApplication) -> None:
    event_loop = TrayEventLoop(qapp)
    ran: list[str] = []
    event_loop.call_later(0.02, ran.append, "later")
    event_loop.call_soon(ran.append, "soon")
    event_loop.close()
    deadline = time.monotonic() + 0.1
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
    assert ran == []


def test_threads_hand_callbacks_to_the_loop(loop: TrayEventLoop) -> None:
    async def main() -> str:
        return await loop.run_in_executor(None, lambda: "from the executor")

    assert loop.run_until_complete(main()) == "from the executor"


def test_a_callback_weeks_away_is_accepted_and_can_be_cancelled(loop: TrayEventLoop) -> None:
    handle = loop.call_later(40 * 24 * 3600, lambda: None)  # beyond Qt's longest timer
    assert handle.when() - loop.time() > 39 * 24 * 3600
    handle.cancel()
    assert handle.cancelled()


def test_a_delay_beyond_qts_longest_timer_is_waited_out_in_full(
    loop: TrayEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Scaled down: Qt's longest timer as 20 ms, a sleep of 100 ms.
    monkeypatch.setattr(eventloop, "_LONGEST_TIMER_MS", 20)

    async def slept() -> float:
        started = time.monotonic()
        await asyncio.sleep(0.1)
        return time.monotonic() - started

    assert loop.run_until_complete(slept()) >= 0.1
