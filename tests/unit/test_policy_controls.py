"""What the user asked for — snoozes, a pause and what it holds back, "notify me when
resolved" — survives a restart, kept in the real state store."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

from tests.unit.test_policy import MAJ, POLL, T0, incident, snap
from traywatch.config.schema import NotificationSettings
from traywatch.core.model import Severity
from traywatch.notify import NotificationPolicy
from traywatch.store import HistoryStore


def policy_on(store: HistoryStore) -> NotificationPolicy:
    return NotificationPolicy(NotificationSettings(), store, local_tz=UTC)


def test_snooze_pause_and_notify_when_resolved_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = HistoryStore(path)
    policy = policy_on(store)
    now = T0
    trouble = snap(incidents=(incident("gh", MAJ),))
    policy.observe("GitHub", snap(), now)
    policy.observe("Heroku", snap(), now)
    now += POLL
    assert [n.event for n in policy.observe("GitHub", trouble, now)] == ["new_incident"]
    policy.notify_when_resolved("GitHub")
    policy.snooze("Heroku", now + timedelta(hours=1))
    policy.pause(now + timedelta(minutes=30))
    now += POLL
    # held by the pause, then the process dies before the pause ends
    assert policy.observe("Heroku", snap(incidents=(incident("hk", MAJ),)), now) == []
    held_github = snap(incidents=(incident("gh", MAJ), incident("gh2", Severity.DEGRADED)))
    assert policy.observe("GitHub", held_github, now) == []
    store.close()  # nothing closes a killed process's store: each write was committed already

    store = HistoryStore(path)
    restarted = policy_on(store)
    assert restarted.wants_resolution("GitHub")
    assert restarted.is_snoozed("Heroku", now)
    assert restarted.is_paused(now)
    assert restarted.paused_until == T0 + POLL + timedelta(minutes=30)
    now += POLL
    # still paused: nothing new reaches the user, nothing already said is said again
    assert restarted.observe("GitHub", held_github, now) == []
    # the one-shot "resolved" passes the pause
    resolved = snap(
        incidents=(
            incident("gh", MAJ, status="resolved"),
            incident("gh2", Severity.DEGRADED, status="resolved"),
        )
    )
    now += POLL
    delivered = restarted.observe("GitHub", resolved, now)
    assert [(n.event, n.title) for n in delivered] == [
        ("incident_resolved", "GitHub: resolved — Trouble gh")
    ], "the one-shot resolution was lost across the restart"
    assert not restarted.wants_resolution("GitHub")
    # when the pause ends, what it held before the restart is summarised
    now = T0 + timedelta(minutes=45)
    (summary,) = restarted.tick(now)
    assert summary.title.startswith("While notifications were held")
    assert "GitHub: Trouble gh2" in summary.body
    assert "Heroku" not in summary.body  # snoozed: dropped, not held
    store.close()

    store = HistoryStore(path)
    again = policy_on(store)
    assert not again.wants_resolution("GitHub")
    assert again.tick(now) == []  # the held ones went out once, not twice
    assert again.is_snoozed("Heroku", now)
    assert not again.is_snoozed("Heroku", now + timedelta(hours=2))
    store.close()


def test_unreadable_controls_start_empty(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "s.db")
    store.save_controls({"snoozed_until": {"A": "not a time"}, "paused_until": 5})
    policy = policy_on(store)
    assert not policy.is_snoozed("A", T0)
    assert not policy.is_paused(T0)
    store.close()
