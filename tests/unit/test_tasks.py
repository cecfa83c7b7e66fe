"""Owned background tasks: failures are logged and reported, loops come back."""

from __future__ import annotations

import asyncio
import logging

import pytest

from traywatch import tasks
from traywatch.tasks import TaskSupervisor, restart_delay


def test_restart_delay_doubles_up_to_five_minutes() -> None:
    assert [restart_delay(n) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]
    assert restart_delay(30) == 300.0


async def test_a_failed_one_shot_task_is_logged_and_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reported: list[tuple[str, str]] = []
    supervisor = TaskSupervisor(on_crash=lambda name, exc: reported.append((name, str(exc))))

    async def broken() -> None:
        raise ValueError("boom")

    with caplog.at_level(logging.ERROR, logger="traywatch.tasks"):
        await supervisor.spawn(broken(), "send")
    assert reported == [("send", "boom")]
    [record] = [r for r in caplog.records if r.name == "traywatch.tasks"]
    assert record.getMessage() == "send failed"
    assert record.exc_info is not None
    assert record.exc_info[0] is ValueError
    assert len(supervisor) == 0


async def test_a_supervised_loop_is_restarted_after_it_fails(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(tasks, "FIRST_RESTART_DELAY", 0.01)
    runs: list[int] = []
    again = asyncio.Event()

    async def loop() -> None:
        runs.append(len(runs))
        if len(runs) < 3:
            raise RuntimeError(f"failure {len(runs)}")
        again.set()
        await asyncio.Event().wait()  # then runs for good

    supervisor = TaskSupervisor()
    with caplog.at_level(logging.INFO, logger="traywatch.tasks"):
        supervisor.supervise(loop, "housekeeping")
        await asyncio.wait_for(again.wait(), 5)
    assert runs == [0, 1, 2]
    messages = [r.getMessage() for r in caplog.records if r.name == "traywatch.tasks"]
    assert messages.count("housekeeping failed") == 2
    assert "housekeeping: restarting in 0 s" in messages
    await supervisor.close()
    assert len(supervisor) == 0


async def test_a_loop_that_ends_on_purpose_is_not_restarted() -> None:
    runs: list[int] = []

    async def once() -> None:
        runs.append(1)

    supervisor = TaskSupervisor()
    await supervisor.supervise(once, "once")
    assert runs == [1]


async def test_close_cancels_everything_and_waits() -> None:
    cancelled = asyncio.Event()

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    supervisor = TaskSupervisor()
    supervisor.supervise(forever, "a")
    supervisor.spawn(forever(), "b")
    await asyncio.sleep(0)
    await supervisor.close()
    assert cancelled.is_set()
    assert len(supervisor) == 0
