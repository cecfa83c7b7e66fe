"""An unchanged page costs the policy nothing: no lookups in, no writes to its memory.

Every poll parses a new Snapshot, so "unchanged" must be judged by what the page says,
not by which object says it. The app's memory is the state store: each lookup and
each write is a SQLite statement, every poll of every service."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tests.unit.test_policy import (
    DEG,
    MNT,
    PART,
    T0,
    Clock,
    incident,
    snap,
)
from traywatch.config.schema import NotificationSettings
from traywatch.core.model import Component, Maintenance, Snapshot
from traywatch.notify import InMemoryPolicyMemory, NotificationPolicy


class CountingMemory(InMemoryPolicyMemory):
    """The policy's memory, counting every time the policy asks it or tells it something."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def was_sent(self, key: str) -> bool:
        self.calls += 1
        return super().was_sent(key)

    def mark_sent(self, key: str, at: datetime) -> None:
        self.calls += 1
        super().mark_sent(key, at)

    def save_state(self, service: str, state: dict[str, Any]) -> None:
        self.calls += 1
        super().save_state(service, state)


def page(at: datetime, *, update: str | None = None, summary: str | None = None) -> Snapshot:
    """A page with an open incident, a running maintenance and components, built anew
    each time, as each poll's parse builds it."""
    updates = ("We are investigating.",) if update is None else (update, "We are investigating.")
    running = Maintenance("m1", "Database upgrade", "in_progress", T0, None, None, ("API",))
    built = snap(
        DEG,
        incidents=(incident("inc1", DEG, updates=updates),),
        maintenances=(running,),
        components=(Component("API", MNT), Component("Git", DEG)),
    )
    changed = replace(built, fetched_at=at)
    return changed if summary is None else replace(changed, summary=summary)


def started() -> tuple[NotificationPolicy, CountingMemory, Clock]:
    memory = CountingMemory()
    policy = NotificationPolicy(NotificationSettings(), memory, local_tz=UTC)
    clock = Clock()
    policy.observe("GitHub", page(clock.now), clock.now)  # the baseline
    policy.observe("GitHub", page(clock.advance()), clock.now)  # the first poll after it
    return policy, memory, clock


def test_an_unchanged_page_is_not_decided_again() -> None:
    policy, memory, clock = started()
    before = memory.calls
    for _ in range(5):
        now = clock.advance()
        again = page(now, summary=f"Trouble inc1 (checked at {now:%H:%M})")
        assert policy.observe("GitHub", again, now) == []
    assert memory.calls == before


def test_a_changed_page_is_decided() -> None:
    policy, memory, clock = started()
    before = memory.calls
    now = clock.advance()
    assert policy.observe("GitHub", page(now, update="Fixed, monitoring."), now) == []
    assert memory.calls > before  # the new update was looked up and remembered
    # and once remembered, the same changed page is unchanged again
    before = memory.calls
    now = clock.advance()
    assert policy.observe("GitHub", page(now, update="Fixed, monitoring."), now) == []
    assert memory.calls == before


def test_an_unchanged_page_is_decided_while_a_change_is_pending() -> None:
    policy, memory, clock = started()
    worse = replace(page(clock.advance()), severity=PART)
    assert policy.observe("GitHub", worse, clock.now) == []  # one poll: not yet announced
    before = memory.calls
    (escalation,) = policy.observe("GitHub", replace(worse, fetched_at=clock.advance()), clock.now)
    assert (escalation.event, escalation.severity) == ("escalation", PART)
    assert memory.calls > before
