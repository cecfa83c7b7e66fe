"""Them or me in the window and the settings: an endpoint's details say whether the
platform it runs on explains its failure; the platform lists the endpoints on it; the
settings offer the platform's live components to run on."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.conftest import fixture_bytes
from tests.gui.window_support import ARTIFACTS, open_window, select
from traywatch.config.schema import Config, ServiceConfig
from traywatch.core.model import Severity, Snapshot
from traywatch.monitor import Monitor
from traywatch.notify.base import RecordingNotifier
from traywatch.providers.statuspage import StatuspageProvider
from traywatch.store import HistoryStore
from traywatch.ui.window import MainWindow

NOW = datetime.now(UTC)


def litware(fixture: str) -> Snapshot:
    return StatuspageProvider().parse(
        fixture_bytes(f"statuspage/{fixture}"), fetched_at=NOW, page_url="https://x.test"
    )


def monitor_with(tmp_path: Path, platform: Snapshot, runs_on: str) -> Monitor:
    store = HistoryStore(tmp_path / "state.sqlite3")
    store.record("Litware", platform)
    store.record(
        "Shop API",
        Snapshot(Severity.MAJOR_OUTAGE, "HTTP 500", NOW, extra={"status": 500, "latency": 0.1}),
    )
    config = Config(
        services=(
            ServiceConfig(name="Litware", url="https://litware.test", kind="statuspage"),
            ServiceConfig(
                name="Shop API",
                url="https://shop.test/health",
                kind="http",
                depends_on=(runs_on,),
            ),
        )
    )
    return Monitor(config, store, RecordingNotifier())


def window_for(
    monitor: Monitor, qtbot: QtBot, tmp_path: Path, loop: asyncio.AbstractEventLoop
) -> MainWindow:
    return open_window(monitor, qtbot, tmp_path, loop, (1000, 700))


def test_a_failing_endpoint_says_whether_its_platform_explains_it(
    tmp_path: Path, qtbot: QtBot, loop: asyncio.AbstractEventLoop
) -> None:
    # a recorded GitHub page with Codespaces down, standing in for Litware's
    down = monitor_with(
        tmp_path, litware("githubstatus-summary-major-outage.json"), "Litware: Codespaces"
    )
    window = window_for(down, qtbot, tmp_path, loop)
    select(window, "Shop API", loop)
    relation = window.details.relation
    text = relation.text()
    assert window.details.relation_card.isVisible()
    assert "<b>Is it them or me? Probably them.</b>" in text
    assert "Litware reports a major outage affecting Codespaces (Incident with Codespaces)." in text
    assert "<b>Runs on</b>" in text
    assert ">Litware</a>: Codespaces — Major outage · Incident with Codespaces (since" in text
    qtbot.wait(50)  # the layout makes room for the lines
    assert relation.height() >= 3 * relation.fontMetrics().lineSpacing()
    # what the platform says about it is there to read, in the pane
    assert "What Litware says" in window.details.incidents.toPlainText()
    assert "Incident with Codespaces" in window.details.incidents.toPlainText()
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "window-them-or-me.png"))
    # the platform's name is a link to its details
    relation.linkActivated.emit("traywatch:service/Litware")
    assert window._selected == "Litware"
    text = window.details.relation.text()
    assert "<b>Your endpoints on Litware</b>" in text
    # on which part, and whether the platform explains its failure
    assert ">Shop API</a> (on Codespaces) — Major outage · explained by Litware" in text


def test_an_incident_elsewhere_on_the_page_does_not_explain_it(
    tmp_path: Path, qtbot: QtBot, loop: asyncio.AbstractEventLoop
) -> None:
    # the same outage, but the endpoint runs on another component of the page
    calm = monitor_with(
        tmp_path, litware("githubstatus-summary-major-outage.json"), "Litware: Git Operations"
    )
    window = window_for(calm, qtbot, tmp_path, loop)
    select(window, "Shop API", loop)
    text = window.details.relation.text()
    assert "<b>Is it them or me? Probably yours — so far.</b>" in text
    assert "No incident reported by Litware for Git Operations yet." in text
    assert "admit an outage late" in text
    assert ">Litware</a>: Git Operations — Operational" in text
    summaries = {
        window.proxy.data(window.proxy.index(row, 1)): window.proxy.data(window.proxy.index(row, 2))
        for row in range(window.proxy.rowCount())
    }
    assert summaries["Shop API"] == (
        "HTTP 500 — No incident reported by Litware for Git Operations yet"
    )
    # the platform's red row is not the reason, and the pane says why not
    pane = " ".join(window.details.incidents.toPlainText().split())
    assert "Litware reports no trouble with Git Operations." in pane
    assert "Its open incident “Incident with Codespaces” (Partial outage, " in pane
    assert "concerns Codespaces, not Git Operations." in pane
    window.details.relation.linkActivated.emit("traywatch:service/Litware")
    assert window._selected == "Litware"
    assert ">Shop API</a> (on Git Operations) — Major outage · not explained by Litware" in (
        window.details.relation.text()
    )
    assert [c.name for c in calm.components("Litware")[:2]] == ["Git Operations", "Webhooks"]
