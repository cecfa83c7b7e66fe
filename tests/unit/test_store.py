from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from traywatch.core.model import Severity, failed_snapshot
from traywatch.providers.statuspage import StatuspageProvider
from traywatch.store import HistoryStore
from traywatch.store.history import SCHEMA_VERSION

T0 = datetime(2026, 4, 16, 16, 0, tzinfo=UTC)


def snapshot(name: str, at: datetime = T0):  # type: ignore[no-untyped-def]
    return StatuspageProvider().parse(
        fixture_bytes(f"statuspage/{name}"), fetched_at=at, page_url="https://www.githubstatus.com"
    )


def test_schema_is_versioned_and_wal(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "s.db")
    assert store.schema_version == SCHEMA_VERSION >= 1
    store.close()
    db = sqlite3.connect(tmp_path / "s.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    HistoryStore(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer traywatch"):
        HistoryStore(path)


def test_severity_changes_are_recorded_once_per_change(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "s.db")
    ok = snapshot("githubstatus-summary-all-operational.json")
    major = snapshot("githubstatus-summary-major-outage.json")
    store.record("GitHub", ok)
    store.record("GitHub", replace(ok, fetched_at=T0 + timedelta(minutes=2)))
    store.record("GitHub", replace(major, fetched_at=T0 + timedelta(minutes=4)))
    store.record("GitHub", failed_snapshot("HTTP 500", T0 + timedelta(minutes=6)))
    changes = store.severity_changes("GitHub")
    assert [(c.from_severity, c.to_severity) for c in changes] == [
        (None, Severity.OPERATIONAL),
        (Severity.OPERATIONAL, Severity.MAJOR_OUTAGE),
        (Severity.MAJOR_OUTAGE, Severity.UNKNOWN),
    ]
    assert changes[1].at == T0 + timedelta(minutes=4)
    # a failed poll does not replace what was last known
    last = store.last_snapshot("GitHub")
    assert last is not None
    assert last.severity is Severity.MAJOR_OUTAGE
    assert last.incidents == major.incidents
    store.close()


def test_incidents_and_updates_are_kept_once_also_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = HistoryStore(path)
    major = snapshot("githubstatus-summary-major-outage.json")
    incident = major.incidents[0]

    def kept(db: HistoryStore) -> list[tuple[str, str, str]]:
        return db._db.execute(
            "SELECT service, incident_id, first_seen FROM incidents ORDER BY service"
        ).fetchall()

    def updates(db: HistoryStore, service: str) -> list[str]:
        rows = db._db.execute(
            "SELECT text FROM incident_updates WHERE service = ? ORDER BY rowid", (service,)
        ).fetchall()
        return [text for (text,) in rows]

    store.record("GitHub", major)
    store.record("GitHub", replace(major, fetched_at=T0 + timedelta(minutes=2)))
    assert kept(store) == [("GitHub", "bjyfg0yz1lwj", major.fetched_at.isoformat())]
    assert len(updates(store, "GitHub")) == len(incident.updates) == 5
    store.close()

    reopened = HistoryStore(path)
    assert reopened.seen_update("GitHub", incident.id, incident.updates[0])
    newer = replace(
        incident,
        updates=(replace(incident.updates[0], text="Fixed, monitoring."), *incident.updates),
    )
    reopened.record("GitHub", replace(major, incidents=(newer,)))
    assert updates(reopened, "GitHub")[5:] == ["Fixed, monitoring."]
    # the same incident on another service is another incident
    reopened.record("Other", major)
    assert [service for service, _, _ in kept(reopened)] == ["GitHub", "Other"]
    last = reopened.last_snapshot("GitHub")
    assert last is not None
    assert last.incidents[0].updates[0].text == "Fixed, monitoring."
    reopened.close()


WRITER = """
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from traywatch.core.model import Severity, Snapshot
from traywatch.store import HistoryStore

store = HistoryStore(Path(sys.argv[1]))
start = datetime(2026, 1, 1, tzinfo=UTC)
i = 0
while True:
    severity = Severity.MAJOR_OUTAGE if i % 2 else Severity.OPERATIONAL
    store.record(f"svc{i % 7}", Snapshot(severity=severity, summary="s" * 2000,
                 fetched_at=start + timedelta(seconds=i)))
    i += 1
    if i == 50:
        print("ready", flush=True)
"""


def test_survives_kill_9_at_any_moment(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    for round_ in range(5):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, env=env
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"ready\n"
        time.sleep(0.05 + round_ * 0.037)  # land at different points of a transaction
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()

        store = HistoryStore(path)
        assert store.integrity_ok()
        changes = store.severity_changes()
        assert len(changes) >= 50 * (round_ + 1)
        # every change follows the one before it: no half-written transaction
        by_service: dict[str, Severity] = {}
        for change in changes:
            assert change.from_severity == by_service.get(change.service)
            by_service[change.service] = change.to_severity
        store.close()


def test_the_store_is_the_policy_memory_across_restarts(tmp_path: Path) -> None:
    from traywatch.config.schema import NotificationSettings
    from traywatch.notify import NotificationPolicy

    path = tmp_path / "s.db"
    ok = snapshot("githubstatus-summary-all-operational.json")
    major = snapshot("githubstatus-summary-major-outage.json")
    store = HistoryStore(path)
    policy = NotificationPolicy(NotificationSettings(), store)
    assert [n.event for n in policy.observe("GitHub", ok, T0)] == ["current_state"]
    sent = policy.observe("GitHub", major, T0 + timedelta(minutes=2))
    assert [n.event for n in sent] == ["new_incident"]
    for notification in sent:
        store.record_notification(notification)
    store.close()

    store = HistoryStore(path)
    restarted = NotificationPolicy(NotificationSettings(), store)
    assert restarted.observe("GitHub", major, T0 + timedelta(minutes=4)) == []
    (history,) = store.notifications("GitHub")
    assert (history.event, history.incident_id, history.severity) == (
        "new_incident",
        "bjyfg0yz1lwj",
        Severity.MAJOR_OUTAGE,
    )
    assert history.title == "GitHub: Incident with Codespaces"
    store.close()


def _filled_store(path: Path) -> HistoryStore:
    from traywatch.notify.policy import Notification

    store = HistoryStore(path)
    major = snapshot("githubstatus-summary-major-outage.json")
    ok = snapshot("githubstatus-summary-all-operational.json")
    store.record("GitHub", ok)
    store.record("GitHub", replace(major, fetched_at=T0 + timedelta(hours=1)))
    store.record("GitHub", replace(ok, fetched_at=T0 + timedelta(hours=2)))
    store.record("Heroku", ok)
    store.record_notification(
        Notification(
            T0 + timedelta(hours=1),
            "GitHub",
            "new_incident",
            Severity.MAJOR_OUTAGE,
            "GitHub: Incident with Codespaces",
            "100%_done? no",
            "bjyfg0yz1lwj",
        )
    )
    return store


def test_history_pages_filters_and_searches(tmp_path: Path) -> None:
    from traywatch.store.history import HistoryQuery

    store = _filled_store(tmp_path / "s.db")
    everything = HistoryQuery()
    assert store.history_count(everything) == 5
    page = store.history_page(everything, 0, 2)
    assert [r.at for r in page] == sorted((r.at for r in page), reverse=True)
    # newest first; at the same moment, the later record first
    assert [r.event for r in store.history_page(everything, 0, 3)] == [
        "severity_change",
        "new_incident",
        "severity_change",
    ]
    assert store.history_page(everything, 4, 10)[0].service in ("GitHub", "Heroku")
    assert store.history_count(HistoryQuery(service="Heroku")) == 1
    assert store.history_count(HistoryQuery(min_severity=Severity.MAJOR_OUTAGE)) == 2
    assert store.history_count(HistoryQuery(text="codespaces")) == 1
    assert store.history_count(HistoryQuery(text="100%_")) == 1  # wildcards are literal
    assert store.history_count(HistoryQuery(text="1000")) == 0
    window = HistoryQuery(since=T0 + timedelta(minutes=30), until=T0 + timedelta(minutes=90))
    assert store.history_count(window) == 2
    assert store.history_services() == ["GitHub", "Heroku"]
    store.clear_history()
    assert store.history_count(everything) == 0
    assert store.last_snapshot("GitHub") is not None  # only the view's rows went
    store.close()


def test_changes_between_for_the_timeline(tmp_path: Path) -> None:
    store = _filled_store(tmp_path / "s.db")
    changes = store.changes_between("GitHub", T0 + timedelta(minutes=30), T0 + timedelta(hours=3))
    assert [s for _, s in changes] == [
        Severity.OPERATIONAL,
        Severity.MAJOR_OUTAGE,
        Severity.OPERATIONAL,
    ]
    store.close()


def test_migration_3_fills_the_history_from_what_was_recorded(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    _filled_store(path).close()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE history")
    db.execute("DROP TABLE policy_controls")  # a store of schema 2 had none of these
    db.execute("DROP TABLE responses")
    db.execute("DROP TABLE observed")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    from traywatch.store.history import HistoryQuery

    store = HistoryStore(path)
    assert store.schema_version == SCHEMA_VERSION
    assert store.history_count(HistoryQuery()) == 5
    store.close()
