"""What the window reads from the store: the time traywatch observed each service, an
endpoint's answers, the incidents of a period, history pages that stay exact while rows
are added, and all of it awaited off the caller's thread."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from traywatch.core.errors import ConnectionRefused
from traywatch.core.model import Severity
from traywatch.endpoint_check import HttpCheck, evaluate, failure
from traywatch.notify.policy import Notification
from traywatch.providers.statuspage import StatuspageProvider
from traywatch.store import HistoryStore
from traywatch.store import history as history_module
from traywatch.store.history import SCHEMA_VERSION, HistoryQuery
from traywatch.store.reader import StoreReader

T0 = datetime(2026, 4, 16, 16, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def page(name: str, at: datetime = T0):  # type: ignore[no-untyped-def]
    return StatuspageProvider().parse(
        fixture_bytes(f"statuspage/{name}"), fetched_at=at, page_url="https://x.test"
    )


def test_observed_time_grows_with_each_poll_and_breaks_at_a_gap(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "s.db")
    ok = page("githubstatus-summary-all-operational.json")
    for minutes in (0, 2, 4, 6):  # polled every 2 minutes
        store.record("GitHub", replace(ok, fetched_at=T0 + minutes * MINUTE), every=120)
    # the app was not running for an hour
    for minutes in (66, 68):
        store.record("GitHub", replace(ok, fetched_at=T0 + minutes * MINUTE), every=120)
    spans = store.observed_between("GitHub", T0 - MINUTE, T0 + 2 * 60 * MINUTE)
    assert spans == [(T0, T0 + 6 * MINUTE), (T0 + 66 * MINUTE, T0 + 68 * MINUTE)]
    # a slow interval is not a gap: three intervals and a minute are allowed
    store.record("Slow", replace(ok, fetched_at=T0), every=3600)
    store.record("Slow", replace(ok, fetched_at=T0 + 3 * 60 * MINUTE), every=3600)
    assert store.observed_between("Slow", T0, T0 + 4 * 60 * MINUTE) == [(T0, T0 + 3 * 60 * MINUTE)]
    # clipped to what was asked
    assert store.observed_between("GitHub", T0 + 3 * MINUTE, T0 + 67 * MINUTE) == [
        (T0 + 3 * MINUTE, T0 + 6 * MINUTE),
        (T0 + 66 * MINUTE, T0 + 67 * MINUTE),
    ]
    assert store.first_observed("GitHub") == T0
    assert store.first_observed("Nothing") is None
    store.close()


def test_an_older_store_gets_observed_time_from_what_it_recorded(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = HistoryStore(path)
    ok = page("githubstatus-summary-all-operational.json")
    store.record("GitHub", ok)
    store.record("GitHub", replace(ok, fetched_at=T0 + 10 * MINUTE))
    store.close()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE observed")
    db.execute("DROP TABLE responses")
    db.execute("PRAGMA user_version = 4")
    db.commit()
    db.close()
    store = HistoryStore(path)
    assert store.schema_version == SCHEMA_VERSION
    # from the first change to the last poll it remembers: the best that can be said
    assert store.observed_between("GitHub", T0 - MINUTE, T0 + MINUTE * 20) == [
        (T0, T0 + 10 * MINUTE)
    ]
    store.close()


def test_an_endpoints_answers_are_kept_bounded_oldest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_module, "RESPONSES_KEPT", 5)
    store = HistoryStore(tmp_path / "s.db")
    check = HttpCheck(degraded_after=1.0)
    for n in range(8):
        at = T0 + n * MINUTE
        store.record("API", evaluate(check, status=200, body=b"", elapsed=0.1 * n, fetched_at=at))
    refused = failure(ConnectionRefused("connection refused"), T0 + 8 * MINUTE)
    store.record("API", refused)
    store.record("GitHub", page("githubstatus-summary-all-operational.json"))  # a page: none
    answers = store.responses("API", limit=100)
    assert len(answers) == 5  # RESPONSES_KEPT, the newest
    assert [a.at for a in answers] == sorted(a.at for a in answers)
    assert answers[-2].seconds == pytest.approx(0.7)
    assert answers[-2].status == 200
    assert answers[-2].severity is Severity.OPERATIONAL
    assert answers[-1].seconds is None  # no answer at all
    assert answers[-1].status is None
    assert answers[-1].reason == "connection refused"
    assert answers[-1].severity is Severity.MAJOR_OUTAGE
    assert store.responses("API", limit=2) == answers[-2:]
    assert store.responses("GitHub") == []
    store.close()


def test_incidents_of_a_period_newest_first_with_their_updates(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "s.db")
    outage = page("githubstatus-summary-major-outage.json")
    store.record("GitHub", outage)
    store.record("GitHub", replace(outage, fetched_at=T0 + 30 * MINUTE))
    store.record("GitHub", page("githubstatus-summary-all-operational.json", T0 + 60 * MINUTE))
    (seen,) = store.incidents_between("GitHub", T0 - MINUTE, T0 + 90 * MINUTE)
    assert seen.incident.title == "Incident with Codespaces"
    assert (seen.first_seen, seen.last_seen) == (T0, T0 + 30 * MINUTE)
    assert len(seen.incident.updates) == len(outage.incidents[0].updates)
    assert seen.incident.updates[0].at == max(u.at for u in seen.incident.updates if u.at)
    assert store.incidents_between("GitHub", T0 + 31 * MINUTE, T0 + 90 * MINUTE) == []
    store.close()


def _notification(at: datetime, text: str) -> Notification:
    return Notification(at, "GitHub", "new_incident", Severity.DEGRADED, text, "")


def test_history_pages_stay_exact_while_rows_are_added(tmp_path: Path) -> None:
    """Pages follow on from the last row shown (not by offset), and what was recorded
    since the first page is read by id: no row twice, none lost."""
    store = HistoryStore(tmp_path / "s.db")
    for n in range(10):
        store.record_notification(_notification(T0 + n * MINUTE, f"row {n}"))
    query = HistoryQuery()
    first = store.history_page(query, 0, 4)
    newest = store.history_last_id()
    store.record_notification(_notification(T0 + 20 * MINUTE, "added while shown"))
    shown = list(first)
    while True:
        last = shown[-1]
        more = store.history_page(replace(query, before=(last.at, last.id)), 0, 4)
        if not more:
            break
        shown += more
    added = store.history_page(replace(query, after_id=newest), 0, 100)
    assert [r.text for r in added] == ["added while shown — "]
    texts = [r.text for r in added + shown]
    assert texts == ["added while shown — "] + [f"row {n} — " for n in reversed(range(10))]
    store.close()


async def test_the_reader_runs_queries_on_its_own_thread_and_connection(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "s.db")
    store.record_notification(_notification(T0, "one"))
    reader = StoreReader(store)
    here = threading.get_ident()
    where = await reader.call(lambda s: (threading.get_ident(), s is store))
    assert where[0] != here  # not the caller's thread
    assert where[1] is False  # its own connection
    assert await reader.call(HistoryStore.history_count, HistoryQuery()) == 1
    # the loop is free while a query runs: a slow one does not hold it up
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    beat = asyncio.ensure_future(ticker())
    await reader.call(lambda s: threading.Event().wait(0.3))
    beat.cancel()
    assert ticks >= 10
    # what the app writes is seen by the reader's connection (WAL)
    store.record_notification(_notification(T0 + MINUTE, "two"))
    assert await reader.call(HistoryStore.history_count, HistoryQuery()) == 2
    reader.close()
    with pytest.raises(RuntimeError, match="closed"):
        await reader.call(HistoryStore.history_count, HistoryQuery())
    store.close()


async def test_an_in_memory_store_is_read_through_its_own_connection() -> None:
    store = HistoryStore(":memory:")
    store.record_notification(_notification(T0, "one"))
    reader = StoreReader(store)
    assert await reader.call(HistoryStore.history_count, HistoryQuery()) == 1
    reader.close()
    store.close()
