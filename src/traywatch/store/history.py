"""SQLite state store: severity changes, incidents and updates seen, last snapshots.

WAL mode with one transaction per recorded poll: a crash (even kill -9) loses
at most that poll, never the file. The schema version lives in
PRAGMA user_version and each migration moves it one step."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from traywatch.core.model import Incident, IncidentUpdate, Severity, Snapshot
from traywatch.core.serialize import snapshot_from_dict, snapshot_to_dict
from traywatch.core.timeparse import isoformat, parse_datetime

_MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE severity_changes (
        id INTEGER PRIMARY KEY,
        service TEXT NOT NULL,
        from_severity TEXT,
        to_severity TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX severity_changes_by_service ON severity_changes (service, at);
    CREATE TABLE incidents (
        service TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        title TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        url TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (service, incident_id)
    );
    CREATE TABLE incident_updates (
        service TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        update_key TEXT NOT NULL,
        at TEXT,
        status TEXT NOT NULL,
        text TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        PRIMARY KEY (service, incident_id, update_key)
    );
    CREATE TABLE last_snapshots (
        service TEXT PRIMARY KEY,
        fetched_at TEXT NOT NULL,
        snapshot TEXT NOT NULL
    );
    """,
    # 2: what the notification policy said and must remember
    """
    CREATE TABLE notified_keys (
        key TEXT PRIMARY KEY,
        at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE policy_state (
        service TEXT PRIMARY KEY,
        state TEXT NOT NULL
    );
    CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        service TEXT NOT NULL,
        event TEXT NOT NULL,
        severity TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        incident_id TEXT
    );
    CREATE INDEX notifications_by_time ON notifications (at);
    """,
    # 3: one table for the window's history view, so that it pages fast by time
    """
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        service TEXT NOT NULL,
        event TEXT NOT NULL,
        severity TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX history_by_time ON history (at);
    CREATE INDEX history_by_service ON history (service, at);
    INSERT INTO history (at, service, event, severity, text)
        SELECT at, service, event, severity, title || ' — ' || body FROM notifications;
    INSERT INTO history (at, service, event, severity, text)
        SELECT at, service, 'severity_change', to_severity,
               COALESCE(from_severity, 'first check') || ' → ' || to_severity
        FROM severity_changes;
    """,
    # 4: what the user asked the policy for (snoozes, pause, notify when resolved)
    """
    CREATE TABLE policy_controls (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        controls TEXT NOT NULL
    );
    """,
    # 5: an endpoint's answers (the latency sparkline, "last response") and the time
    # traywatch was observing each service (the uptime bar claims no other time)
    """
    CREATE TABLE responses (
        id INTEGER PRIMARY KEY,
        service TEXT NOT NULL,
        at TEXT NOT NULL,
        seconds REAL,
        status INTEGER,
        severity TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX responses_by_service ON responses (service, id);
    CREATE TABLE observed (
        id INTEGER PRIMARY KEY,
        service TEXT NOT NULL,
        started TEXT NOT NULL,
        ended TEXT NOT NULL
    );
    CREATE INDEX observed_by_service ON observed (service, ended);
    INSERT INTO observed (service, started, ended)
        SELECT c.service, min(c.at), max(max(c.at), COALESCE(s.fetched_at, ''))
        FROM severity_changes AS c LEFT JOIN last_snapshots AS s ON s.service = c.service
        GROUP BY c.service;
    """,
)
SCHEMA_VERSION = len(_MIGRATIONS)
# An endpoint's answers kept for its sparkline: a day and more at a 2-minute interval.
RESPONSES_KEPT = 1000
# Polls further apart than this many intervals (plus a minute) leave the time between
# them unobserved: the app was not running, or the machine slept.
OBSERVED_GAP_INTERVALS = 3
DEFAULT_INTERVAL = 120.0


def default_store_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("traywatch")) / "state.sqlite3"


@dataclass(frozen=True, slots=True)
class Check:
    """A poll that found its page unchanged."""

    service: str
    at: datetime
    every: float | None = None  # the service's poll interval


@dataclass(frozen=True, slots=True)
class Poll:
    """A poll's snapshot to record."""

    service: str
    snapshot: Snapshot
    every: float | None = None  # the service's poll interval


@dataclass(frozen=True, slots=True)
class SeverityChange:
    service: str
    from_severity: Severity | None
    to_severity: Severity
    at: datetime


class NotificationRecord(Protocol):
    @property
    def at(self) -> datetime: ...
    @property
    def service(self) -> str: ...
    @property
    def event(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def incident_id(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class StoredNotification:
    """A notification as the history keeps it (the policy's Notification fits this shape)."""

    at: datetime
    service: str
    event: str
    severity: Severity
    title: str
    body: str
    incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: datetime
    service: str
    event: str
    severity: Severity
    text: str
    id: int = 0  # rows added later have larger ids: what the window appends live


@dataclass(frozen=True, slots=True)
class Response:
    """One answer of an endpoint of the user's (or its absence: `seconds` is None)."""

    at: datetime
    seconds: float | None
    status: int | None
    severity: Severity
    reason: str  # "HTTP 502", "connection refused", "HTTP 200 in 0.21 s"


@dataclass(frozen=True, slots=True)
class SeenIncident:
    """An incident as the store remembers it, with the time traywatch saw it open."""

    incident: Incident
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """The history view's filters; all optional."""

    service: str | None = None
    min_severity: Severity | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str = ""
    after_id: int | None = None  # only rows added after this one
    before: tuple[datetime, int] | None = None  # only rows after this (time, id) in the order

    def sql(self) -> tuple[str, tuple[str | int, ...]]:
        clauses: list[str] = []
        params: list[str | int] = []
        if self.service:
            clauses.append("service = ?")
            params.append(self.service)
        if self.min_severity is not None:
            wanted = [s.value for s in Severity if s >= self.min_severity]
            clauses.append(f"severity IN ({', '.join('?' for _ in wanted)})")
            params += wanted
        if self.since is not None:
            clauses.append("at >= ?")
            params.append(isoformat(self.since) or "")
        if self.until is not None:
            clauses.append("at < ?")
            params.append(isoformat(self.until) or "")
        if self.before is not None:
            moment = isoformat(self.before[0]) or ""
            clauses.append("at <= ? AND (at < ? OR id < ?)")  # a range on the time index
            params += [moment, moment, self.before[1]]
        if self.after_id is not None:
            clauses.append("id > ?")
            params.append(self.after_id)
        for word in self.text.split():
            clauses.append("(text LIKE ? ESCAPE '\\' OR service LIKE ? ESCAPE '\\')")
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params += [pattern, pattern]
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def update_key(update: IncidentUpdate) -> str:
    """Identifies an update across polls: pages give updates no stable id everywhere."""
    digest = hashlib.sha256(f"{isoformat(update.at)}\x00{update.status}\x00{update.text}".encode())
    return digest.hexdigest()[:24]


class HistoryStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if path != ":memory:" else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._migrate()
        except BaseException:
            self._db.close()  # a broken or newer file: left as it is, nothing held open
            raise

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"state store {self.path} was written by a newer traywatch "
                f"(schema {version} > {SCHEMA_VERSION})"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self._apply_migration(target)

    def _apply_migration(self, target: int) -> None:
        # executescript() commits any open transaction first, so the step brings its own.
        try:
            step = _MIGRATIONS[target - 1]
            self._db.executescript(
                f"BEGIN IMMEDIATE;\n{step}\nPRAGMA user_version = {target};\nCOMMIT;"
            )
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _transaction(self, work: Callable[[sqlite3.Connection], None]) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            work(self._db)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @property
    def writes(self) -> int:
        """Rows written through this connection so far (what an idle poll must not add to)."""
        return self._db.total_changes

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def last_snapshot(self, service: str) -> Snapshot | None:
        row = self._db.execute(
            "SELECT snapshot, fetched_at FROM last_snapshots WHERE service = ?", (service,)
        ).fetchone()
        if row is None:
            return None
        try:
            snapshot = snapshot_from_dict(json.loads(row[0]))
        except (ValueError, KeyError, TypeError):
            return None  # written by a build with another shape: start afresh
        # The column is moved on by `record_checks` without rewriting the snapshot.
        checked = parse_datetime(row[1])
        if checked is not None and checked > snapshot.fetched_at:
            snapshot = replace(snapshot, fetched_at=checked)
        return snapshot

    def record(self, service: str, snapshot: Snapshot, *, every: float | None = None) -> None:
        """Remember one poll's snapshot, in one transaction. `every`: the service's poll
        interval, which tells a gap in the observing from the time between two polls."""
        self.record_polls([], [Poll(service, snapshot, every)])

    def record_polls(self, checks: list[Check], polls: list[Poll]) -> None:
        """Unchanged checks' times, then polls' snapshots, in one transaction: a cycle of
        many services costs one commit, not one each."""
        if not checks and not polls:
            return

        def work(db: sqlite3.Connection) -> None:
            for check in checks:
                self._checked(db, check)
            for poll in polls:
                self._record(db, poll.service, poll.snapshot)
                at, every = poll.snapshot.fetched_at, poll.every or DEFAULT_INTERVAL
                self._observed(db, poll.service, at, every)
                if "latency" in poll.snapshot.extra:
                    self._response(db, poll.service, poll.snapshot)

        self._transaction(work)

    def record_checks(self, checks: list[Check]) -> None:
        """Polls that found their page unchanged, in one transaction: only the time of the
        check moves (the stored snapshot's, and the observed time's)."""
        self.record_polls(checks, [])

    def _checked(self, db: sqlite3.Connection, check: Check) -> None:
        db.execute(
            "UPDATE last_snapshots SET fetched_at = ? WHERE service = ? AND fetched_at < ?",
            (isoformat(check.at), check.service, isoformat(check.at)),
        )
        self._observed(db, check.service, check.at, check.every or DEFAULT_INTERVAL)

    def _record(self, db: sqlite3.Connection, service: str, snapshot: Snapshot) -> None:
        at = isoformat(snapshot.fetched_at)
        row = db.execute(
            "SELECT to_severity FROM severity_changes WHERE service = ? ORDER BY id DESC LIMIT 1",
            (service,),
        ).fetchone()
        previous = Severity(row[0]) if row else None
        if previous is not snapshot.severity:
            db.execute(
                "INSERT INTO severity_changes (service, from_severity, to_severity, at)"
                " VALUES (?, ?, ?, ?)",
                (service, previous.value if previous else None, snapshot.severity.value, at),
            )
            db.execute(
                "INSERT INTO history (at, service, event, severity, text) VALUES (?, ?, ?, ?, ?)",
                (
                    at,
                    service,
                    "severity_change",
                    snapshot.severity.value,
                    f"{previous.label if previous else 'First check'} → {snapshot.severity.label}",
                ),
            )

        for incident in snapshot.incidents:
            db.execute(
                "INSERT INTO incidents (service, incident_id, title, severity, status, url,"
                " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (service, incident_id) DO UPDATE SET title = excluded.title,"
                " severity = excluded.severity, status = excluded.status, url = excluded.url,"
                " last_seen = excluded.last_seen",
                (
                    service,
                    incident.id,
                    incident.title,
                    incident.severity.value,
                    incident.status,
                    incident.url,
                    at,
                    at,
                ),
            )
            for update in incident.updates:
                db.execute(
                    "INSERT OR IGNORE INTO incident_updates (service, incident_id, update_key,"
                    " at, status, text, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        service,
                        incident.id,
                        update_key(update),
                        isoformat(update.at),
                        update.status,
                        update.text,
                        at,
                    ),
                )

        if snapshot.ok:
            db.execute(
                "INSERT INTO last_snapshots (service, fetched_at, snapshot) VALUES (?, ?, ?)"
                " ON CONFLICT (service) DO UPDATE SET fetched_at = excluded.fetched_at,"
                " snapshot = excluded.snapshot",
                (service, at, json.dumps(snapshot_to_dict(snapshot))),
            )

    def _observed(self, db: sqlite3.Connection, service: str, at: datetime, every: float) -> None:
        """Extends the service's current stretch of watched time to this poll, or starts
        a new one after a gap."""
        moment = isoformat(at)
        last = db.execute(
            "SELECT id, ended FROM observed WHERE service = ? ORDER BY id DESC LIMIT 1",
            (service,),
        ).fetchone()
        if last is not None:
            end = parse_datetime(last[1])
            gap = timedelta(seconds=every * OBSERVED_GAP_INTERVALS + 60)
            if end is not None and end <= at <= end + gap:
                db.execute("UPDATE observed SET ended = ? WHERE id = ?", (moment, last[0]))
                return
            if end is not None and at < end:
                return  # a poll recorded out of order: already inside watched time
        db.execute(
            "INSERT INTO observed (service, started, ended) VALUES (?, ?, ?)",
            (service, moment, moment),
        )

    def _response(self, db: sqlite3.Connection, service: str, snapshot: Snapshot) -> None:
        latency = snapshot.extra.get("latency")
        status = snapshot.extra.get("status")
        db.execute(
            "INSERT INTO responses (service, at, seconds, status, severity, reason)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                service,
                isoformat(snapshot.fetched_at),
                float(latency) if isinstance(latency, int | float) else None,
                int(status) if isinstance(status, int) else None,
                snapshot.severity.value,
                snapshot.error or snapshot.summary,
            ),
        )
        db.execute(
            "DELETE FROM responses WHERE service = ? AND id <= (SELECT id FROM responses"
            " WHERE service = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (service, service, RESPONSES_KEPT),
        )

    def severity_changes(self, service: str | None = None) -> list[SeverityChange]:
        query = "SELECT service, from_severity, to_severity, at FROM severity_changes"
        params: tuple[str, ...] = ()
        if service is not None:
            query += " WHERE service = ?"
            params = (service,)
        rows = self._db.execute(query + " ORDER BY id", params).fetchall()
        return [
            SeverityChange(
                service=r[0],
                from_severity=Severity(r[1]) if r[1] else None,
                to_severity=Severity(r[2]),
                at=parse_datetime(r[3]) or datetime.min,
            )
            for r in rows
        ]

    def seen_update(self, service: str, incident_id: str, update: IncidentUpdate) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM incident_updates WHERE service = ? AND incident_id = ?"
            " AND update_key = ?",
            (service, incident_id, update_key(update)),
        ).fetchone()
        return row is not None

    # -- the notification policy's memory (see notify.memory.PolicyMemory) ---------------

    def was_sent(self, key: str) -> bool:
        row = self._db.execute("SELECT 1 FROM notified_keys WHERE key = ?", (key,)).fetchone()
        return row is not None

    def mark_sent(self, key: str, at: datetime) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO notified_keys (key, at) VALUES (?, ?)", (key, isoformat(at))
        )

    def load_state(self, service: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT state FROM policy_state WHERE service = ?", (service,)
        ).fetchone()
        if row is None:
            return None
        try:
            state = json.loads(row[0])
        except ValueError:
            return None
        return state if isinstance(state, dict) else None

    def save_state(self, service: str, state: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO policy_state (service, state) VALUES (?, ?)"
            " ON CONFLICT (service) DO UPDATE SET state = excluded.state",
            (service, json.dumps(state)),
        )

    def load_controls(self) -> dict[str, Any] | None:
        row = self._db.execute("SELECT controls FROM policy_controls WHERE id = 1").fetchone()
        if row is None:
            return None
        try:
            controls = json.loads(row[0])
        except ValueError:
            return None
        return controls if isinstance(controls, dict) else None

    def save_controls(self, controls: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO policy_controls (id, controls) VALUES (1, ?)"
            " ON CONFLICT (id) DO UPDATE SET controls = excluded.controls",
            (json.dumps(controls),),
        )

    def record_notification(self, notification: NotificationRecord) -> None:
        self._db.execute(
            "INSERT INTO history (at, service, event, severity, text) VALUES (?, ?, ?, ?, ?)",
            (
                isoformat(notification.at),
                notification.service,
                notification.event,
                notification.severity.value,
                f"{notification.title} — {notification.body}",
            ),
        )
        self._db.execute(
            "INSERT INTO notifications (at, service, event, severity, title, body, incident_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                isoformat(notification.at),
                notification.service,
                notification.event,
                notification.severity.value,
                notification.title,
                notification.body,
                notification.incident_id,
            ),
        )

    def notifications(self, service: str | None = None) -> list[StoredNotification]:
        query = "SELECT at, service, event, severity, title, body, incident_id FROM notifications"
        params: tuple[str, ...] = ()
        if service is not None:
            query += " WHERE service = ?"
            params = (service,)
        return [
            StoredNotification(
                at=parse_datetime(r[0]) or datetime.min,
                service=r[1],
                event=r[2],
                severity=Severity(r[3]),
                title=r[4],
                body=r[5],
                incident_id=r[6],
            )
            for r in self._db.execute(query + " ORDER BY id", params).fetchall()
        ]

    # -- the history view -------------------------------------------------------------------

    def history_count(self, query: HistoryQuery) -> int:
        where, params = query.sql()
        return int(self._db.execute(f"SELECT count(*) FROM history {where}", params).fetchone()[0])

    def history_page(self, query: HistoryQuery, offset: int, limit: int) -> list[HistoryRow]:
        where, params = query.sql()
        rows = self._db.execute(
            f"SELECT at, service, event, severity, text, id FROM history {where}"
            " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        return [
            HistoryRow(parse_datetime(r[0]) or datetime.min, r[1], r[2], Severity(r[3]), r[4], r[5])
            for r in rows
        ]

    def history_last_id(self) -> int:
        """The newest row's id: rows recorded later have larger ones."""
        return int(self._db.execute("SELECT COALESCE(max(id), 0) FROM history").fetchone()[0])

    def history_services(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT service FROM history ORDER BY 1")]

    def clear_history(self) -> None:
        """Forgets the history view's rows (not what was notified: nothing is said twice)."""
        self._db.execute("DELETE FROM history")

    def changes_between(
        self, service: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, Severity]]:
        """The severity at `start` and every change until `end`, for the timeline bar."""
        before = self._db.execute(
            "SELECT at, to_severity FROM severity_changes WHERE service = ? AND at <= ?"
            " ORDER BY at DESC, id DESC LIMIT 1",
            (service, isoformat(start)),
        ).fetchall()
        during = self._db.execute(
            "SELECT at, to_severity FROM severity_changes WHERE service = ? AND at > ? AND at < ?"
            " ORDER BY at, id",
            (service, isoformat(start), isoformat(end)),
        ).fetchall()
        return [(parse_datetime(r[0]) or start, Severity(r[1])) for r in [*before, *during]]

    def observed_between(
        self, service: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """The stretches of [start, end) in which traywatch was watching the service."""
        rows = self._db.execute(
            "SELECT started, ended FROM observed WHERE service = ? AND ended >= ?"
            " AND started < ? ORDER BY started",
            (service, isoformat(start), isoformat(end)),
        ).fetchall()
        out = []
        for row in rows:
            first, last = parse_datetime(row[0]), parse_datetime(row[1])
            if first is not None and last is not None:
                out.append((max(first, start), min(last, end)))
        return out

    def first_observed(self, service: str) -> datetime | None:
        """When traywatch first observed the service (None: never)."""
        row = self._db.execute(
            "SELECT min(started) FROM observed WHERE service = ?", (service,)
        ).fetchone()
        return parse_datetime(row[0]) if row and row[0] else None

    def responses(self, service: str, limit: int = 120) -> list[Response]:
        """An endpoint's latest answers, oldest first."""
        rows = self._db.execute(
            "SELECT at, seconds, status, severity, reason FROM responses WHERE service = ?"
            " ORDER BY id DESC LIMIT ?",
            (service, limit),
        ).fetchall()
        return [
            Response(parse_datetime(r[0]) or datetime.min, r[1], r[2], Severity(r[3]), r[4])
            for r in reversed(rows)
        ]

    def incidents_between(
        self, service: str, start: datetime, end: datetime, limit: int = 50
    ) -> list[SeenIncident]:
        """The incidents seen open at some time in [start, end), newest first, with
        their updates (newest first, as pages publish them)."""
        rows = self._db.execute(
            "SELECT incident_id, title, severity, status, url, first_seen, last_seen"
            " FROM incidents WHERE service = ? AND last_seen >= ? AND first_seen < ?"
            " ORDER BY first_seen DESC LIMIT ?",
            (service, isoformat(start), isoformat(end), limit),
        ).fetchall()
        out = []
        for ident, title, severity, status, url, first_seen, last_seen in rows:
            updates = tuple(
                IncidentUpdate(parse_datetime(u[0]), u[1], u[2])
                for u in self._db.execute(
                    "SELECT at, status, text FROM incident_updates"
                    " WHERE service = ? AND incident_id = ? ORDER BY at DESC",
                    (service, ident),
                )
            )
            seen = parse_datetime(first_seen) or start
            incident = Incident(
                ident, title, Severity(severity), status, seen, url=url, updates=updates
            )
            out.append(SeenIncident(incident, seen, parse_datetime(last_seen) or seen))
        return out

    def integrity_ok(self) -> bool:
        return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
