"""The frozen bundle as `scripts/package bundle` builds it from the wheel: it runs with
no Python on the machine (--version, check against a loopback page through every
kind of provider, which are imported by name) and its autostart entry starts the tray
app at login.

Building it takes a minute or more, so it is built and smoke-tested once per change of
what it is made from (packaging/, the build scripts, the pinned dependencies, the
modules and their imports: see `bundle_inputs_key`); a passed run leaves a stamp in
scripts/package's cache, outside the clone, which a fresh clone finds too. Set
TRAYWATCH_BUNDLE_TEST=always to build and test it regardless."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.packaging.helpers import (
    build_cache,
    bundle_inputs_key,
    command_line,
    launch,
    package,
    stop,
    watch_loopback,
)
from tests.support.server import StatusServer
from traywatch import APP_ID, __version__


@pytest.fixture
def stamp() -> Path:
    path = build_cache() / "bundle-smoke-tested" / bundle_inputs_key()
    if path.exists() and os.environ.get("TRAYWATCH_BUNDLE_TEST") != "always":
        pytest.skip(
            f"a bundle of these inputs passed this test on {path.read_text().strip()} "
            f"({path}); it runs again when packaging/, dependencies or modules change"
        )
    return path


@pytest.mark.slow
@pytest.mark.usefixtures("desktop")
def test_the_frozen_bundle_runs_without_python(
    stamp: Path, tmp_path: Path, status_server: StatusServer
) -> None:
    package("bundle", tmp_path)
    frozen = tmp_path / "traywatch" / "traywatch"
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": "", "PATH": "/usr/bin:/bin"}

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(frozen), *args], env={**env, **extra}, capture_output=True, text=True, timeout=60
        )

    assert run("--version").stdout.strip() == f"traywatch {__version__}"

    # providers of three kinds (each imported by name), one of them detected
    status_server.serve("/heroku/api/v4/current-status", fixture_bytes("heroku/all-green.json"))
    feed = fixture_bytes("feed/githubstatus-history.atom")
    status_server.serve("/history.atom", feed, content_type="application/atom+xml")
    watch_loopback(status_server)
    heroku, atom = status_server.url("/heroku"), status_server.url("/history.atom")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[services]]\nname = "Heroku"\nkind = "heroku"\nurl = "{heroku}"\n'
        f'[[services]]\nname = "Feed"\nkind = "feed"\nurl = "{atom}"\n'
        f'[[services]]\nname = "GitHub"\nurl = "{status_server.base_url}"\n',
        encoding="utf-8",
    )
    check = run("check", "--config", str(config))
    assert check.returncode == 0, check.stdout + check.stderr
    states = {line.split("  ")[0].split(" (")[0]: line for line in check.stdout.splitlines()[1:]}
    assert sorted(states) == ["Feed", "GitHub", "Heroku"], check.stdout
    assert all(" Operational  " in line for line in states.values()), check.stdout
    assert "(statuspage, detected)" in check.stdout

    no_display = run(DISPLAY="", WAYLAND_DISPLAY="")
    assert no_display.returncode == 1
    assert no_display.stderr.startswith("traywatch: no display")
    assert no_display.stderr.count("\n") == 1

    on = run("autostart", "on")
    assert on.returncode == 0, on.stderr
    entry = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / f"{APP_ID}.desktop"
    pid = launch(entry, env)
    try:
        assert command_line(pid) == [str(frozen)]
    finally:
        stop(pid)
    assert run("autostart", "off").returncode == 0

    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(datetime.now(UTC).isoformat(timespec="seconds") + "\n", encoding="utf-8")
