"""The freedesktop notifier against the test desktop's real notification server:
notifications that arrive together share one connection and one signal listener."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from traywatch.core.model import Severity
from traywatch.notify.freedesktop import FreedesktopNotifier
from traywatch.notify.policy import Notification


def listeners() -> list[asyncio.Task[object]]:
    return [
        task
        for task in asyncio.all_tasks()
        if getattr(task.get_coro(), "__qualname__", "") == "FreedesktopNotifier._listen"
    ]


async def test_notifications_sent_at_once_open_one_connection(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="traywatch.notify.freedesktop")
    notifier = FreedesktopNotifier()
    at = datetime.now(UTC)
    burst = [
        Notification(at, f"Service {i}", "new_incident", Severity.DEGRADED, f"Title {i}", "Body")
        for i in range(3)
    ]
    try:
        assert await asyncio.gather(*(notifier.notify(n) for n in burst)) == [True, True, True]
        assert caplog.text.count("notifications go to the desktop's notification server") == 1
        assert len(listeners()) == 1  # none left behind to be destroyed while pending
    finally:
        await notifier.aclose()
    assert listeners() == []
