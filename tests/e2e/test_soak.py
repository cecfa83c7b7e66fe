"""The short soak: the real tray app with 200 services whose pages keep changing, through
700 view refreshes (icon, tooltip, 200-entry menu, the open window) and config reloads.
It must stay alive, log no Qt warning and keep its memory flat. The long version is
`benchmarks/soak.py`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.app import App
from tests.e2e.desktop import tray_item, wait_until
from tests.support.server import StatusServer
from tests.support.soak import ChangingPages, Sample, SoakRun

SERVICES = 200
# 30 s intervals run 15 times faster: every service polls every 2 s.
TIME_SCALE = "15"
# About 4 a second on a 2-core machine: the suite's longest test. Measured over 1,000:
# RSS flat within 1 % from the 270th on; the 30-minute soak in benchmarks/ runs far more.
REFRESHES = 700
# Until every path has run once (window, a config reload) and the caches are full. (With
# qasync's own loop the timers of cancelled requests also piled up until they would have
# fired; the app's loop, ui/eventloop.py, kills them.)
WARM_UP_REFRESHES = 300
ALLOWED_GROWTH = 0.10


@pytest.fixture
def soak(tmp_path: Path, status_server: StatusServer) -> Iterator[SoakRun]:
    # Every poll finds its page changed: a poll of an unchanged page refreshes no view.
    pages = ChangingPages(status_server, SERVICES, every=1)
    config = tmp_path / "config.toml"
    config.write_text(pages.config(), encoding="utf-8")
    app = App(config, tmp_path, env={"TRAYWATCH_TIME_SCALE": TIME_SCALE})
    yield SoakRun(app, pages)
    app.close()


@pytest.mark.slow
def test_200_changing_services_through_hundreds_of_refreshes(soak: SoakRun) -> None:
    app = soak.app
    app.start()
    wait_until(lambda: tray_item(app.pid), timeout=30, what="the tray icon")
    soak.open_window()
    warm: Sample | None = None
    for round_number in range(1, 5):
        soak.edit_config(round_number)
        wait_until(
            lambda n=round_number: app.log().count("configuration applied") >= n,
            timeout=60,
            what=f"config reload {round_number}",
        )
        soak.open_window()
        reached = soak.wait_for_refreshes(WARM_UP_REFRESHES * round_number // 2, timeout=180)
        if round_number == 2:
            warm = reached
    end = soak.wait_for_refreshes(REFRESHES, timeout=300)
    assert warm is not None

    assert app.process is not None
    assert app.process.poll() is None, "the app died"
    log = app.log()
    assert "traywatch.qt" not in log, "Qt warned: " + "\n".join(
        line for line in log.splitlines() if "traywatch.qt" in line
    )
    assert "Traceback" not in log
    growth = end.rss_mib / warm.rss_mib - 1
    rows = "\n".join(
        str(sample.row()) for sample in soak.samples[:: max(len(soak.samples) // 8, 1)]
    )
    assert growth <= ALLOWED_GROWTH, f"RSS grew {growth:.1%} after warm-up:\n{rows}"
    # A binding that drops a reference to None per void Qt call (PySide6 6.12.0 on
    # Python 3.11) takes about a thousand per refresh (200 menu entries get several
    # calls each) and aborts the app when the count reaches zero. The count also moves
    # by tens per refresh while live objects holding None come and go, and it creeps
    # up with the window open (an extra reference kept somewhere in PySide6 6.11.3:
    # harmless, None is never freed by too many references).
    refreshes = end.stats["view_refreshes"] - warm.stats["view_refreshes"]
    drift = end.stats["none_refcount"] - warm.stats["none_refcount"]
    assert drift > -50 * refreshes, rows
    code, stderr = app.stop()
    assert code == 0, stderr
    assert "Traceback" not in stderr
