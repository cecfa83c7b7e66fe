"""`traywatch` as a user runs it: a real process against a real loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.support.server import StatusServer

SUMMARY = "/api/v2/summary.json"
MAJOR = fixture_bytes("statuspage/githubstatus-summary-major-outage.json")
DEGRADED = fixture_bytes("statuspage/githubstatus-summary-minor-degraded-performance.json")
OPERATIONAL = fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
MAINTENANCE = fixture_bytes("statuspage/githubstatus-summary-maintenance-in-progress.json")


def traywatch(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "traywatch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_config(tmp_path: Path, server: StatusServer, services: dict[str, str]) -> Path:
    lines = ["[settings]", "timeout = 2", ""]
    for name, path in services.items():
        lines += ["[[services]]", f'name = "{name}"', f'url = "{server.url(path)}"', ""]
    config = tmp_path / "config.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def test_version() -> None:
    result = traywatch("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("traywatch 0.")


def test_check_url_json(status_server: StatusServer) -> None:
    status_server.serve(SUMMARY, MAJOR)
    result = traywatch("check", "--url", status_server.base_url, "--json")
    assert result.returncode == 2, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) == {"checked_at", "offline", "services"}
    assert data["offline"] is False
    (service,) = data["services"]
    assert {
        "name",
        "kind",
        "url",
        "severity",
        "summary",
        "error",
        "components",
        "incidents",
        "maintenances",
    } <= set(service)
    assert service["kind"] == "statuspage"
    assert service["kind_detected"] is True
    assert service["severity"] == "major_outage"
    assert service["error"] is None
    assert {"name": "Codespaces", "group": None, "severity": "major_outage"} in service[
        "components"
    ]
    (incident,) = service["incidents"]
    assert set(incident) == {
        "id",
        "title",
        "severity",
        "status",
        "started_at",
        "updated_at",
        "url",
        "components",
        "updates",
    }
    assert incident["started_at"] == "2026-04-16T15:06:56.487000+00:00"
    assert set(incident["updates"][0]) == {"at", "status", "text"}


def test_check_url_with_kind_table(status_server: StatusServer) -> None:
    status_server.serve(SUMMARY, DEGRADED)
    result = traywatch("check", "--url", status_server.base_url, "--kind", "statuspage")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["SERVICE", "STATE", "SUMMARY"]
    assert lines[1].startswith("127.0.0.1  Degraded")
    assert "detected" not in lines[1]
    assert lines[2].startswith("  ! ")


def test_check_config_exit_status_and_service_filter(
    status_server: StatusServer, tmp_path: Path
) -> None:
    status_server.serve("/ok" + SUMMARY, OPERATIONAL)
    status_server.serve("/mnt" + SUMMARY, MAINTENANCE)
    status_server.serve("/broken" + SUMMARY, b"<html>502 Bad Gateway</html>", status=502)
    config = write_config(
        tmp_path, status_server, {"Ok": "/ok", "Mnt": "/mnt", "Broken": "/broken"}
    )

    everything = traywatch("check", "--config", str(config), "--json")
    assert everything.returncode == 3  # unknown, nothing worse
    by_name = {s["name"]: s for s in json.loads(everything.stdout)["services"]}
    assert by_name["Ok"]["severity"] == "operational"
    assert by_name["Mnt"]["severity"] == "maintenance"
    assert by_name["Broken"]["severity"] == "unknown"
    assert by_name["Broken"]["error"] == "HTTP 502"
    table = traywatch("check", "--config", str(config)).stdout
    # the user's word for it, once: never the bare "Unknown"
    broken = next(line for line in table.splitlines() if line.startswith("Broken"))
    assert broken.split() == ["Broken", "Could", "not", "check", "HTTP", "502"]
    assert "Unknown" not in table

    healthy = traywatch("check", "--config", str(config), "--service", "ok", "--service", "Mnt")
    assert healthy.returncode == 0
    assert "Broken" not in healthy.stdout
    assert "Maintenance in progress" in healthy.stdout


def test_check_records_to_the_state_store(status_server: StatusServer, tmp_path: Path) -> None:
    status_server.serve(SUMMARY, MAJOR)
    config = write_config(tmp_path, status_server, {"GitHub": "/"})
    assert traywatch("check", "--config", str(config)).returncode == 2
    from traywatch.store import HistoryStore, default_store_path

    store = HistoryStore(default_store_path())
    try:
        assert [c.to_severity.value for c in store.severity_changes("GitHub")] == ["major_outage"]
    finally:
        store.close()


def test_environment_variable_config(
    status_server: StatusServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status_server.serve(SUMMARY, OPERATIONAL)
    monkeypatch.setenv("TRAYWATCH_CONFIG", str(write_config(tmp_path, status_server, {"Env": "/"})))
    result = traywatch("check")
    assert result.returncode == 0
    assert "Env" in result.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"[settings]\ninterval = 5\n", "settings.interval: expected at least 30, got 5"),
        (b"[[services]\nname = 'x'", "not valid TOML"),
        (b"[[services]]\nname = 'GitHub'\n", "services[0].url: required"),
    ],
)
def test_a_bad_config_is_left_untouched_with_exit_3(
    tmp_path: Path, text: bytes, expected: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(text)
    before = config.stat()
    result = traywatch("check", "--config", str(config))
    assert result.returncode == 3
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message
    assert message.startswith(f"traywatch: config error: {config}: ")
    assert expected in message
    assert config.read_bytes() == text
    assert config.stat().st_mtime_ns == before.st_mtime_ns
    assert not (tmp_path / "config.toml.bak").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "--url", "not a url"], "--url: expected an http(s) address"),
        (["check", "--url", "https://x.test", "--kind", "rss"], "--kind: expected one of"),
        (["check", "--kind", "statuspage"], "--kind goes with --url"),
        (["check", "--service", "Nope"], "no service named 'Nope'"),
        (["check", "--bogus"], "unrecognized arguments: --bogus"),
        (["wait"], "the following arguments are required: NAME"),
        (["wait", "GitHub", "--interval", "1"], "--interval: expected at least 5 seconds"),
    ],
)
def test_bad_arguments_exit_3_with_one_line(args: list[str], expected: str) -> None:
    result = traywatch(*args)
    assert result.returncode == 3
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_offline_is_reported_as_offline() -> None:
    # A network namespace with no interface up: a machine with no network at all.
    result = subprocess.run(
        [
            "unshare",
            "--map-root-user",
            "--net",
            sys.executable,
            "-m",
            "traywatch",
            "check",
            "--json",
            "--url",
            "http://127.0.0.1:8080",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    data = json.loads(result.stdout)
    assert data["offline"] is True
    assert data["services"][0]["severity"] == "unknown"
    table = subprocess.run(
        ["unshare", "--map-root-user", "--net", sys.executable, "-m", "traywatch", "check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert table.stdout.startswith("You are offline: no status page could be reached.")
    assert table.returncode == 3


def test_wait_returns_when_the_service_is_back(status_server: StatusServer, tmp_path: Path) -> None:
    bodies = [MAJOR, OPERATIONAL]
    status_server.route(
        SUMMARY, lambda h: h.send_bytes(bodies.pop(0) if len(bodies) > 1 else bodies[0])
    )
    config = write_config(tmp_path, status_server, {"GitHub": "/"})
    started = time.monotonic()
    result = traywatch(
        "wait", "github", "--config", str(config), "--interval", "5", "--timeout", "30"
    )
    assert result.returncode == 0, result.stderr
    assert 4.5 <= time.monotonic() - started < 25
    lines = result.stdout.splitlines()
    assert "GitHub: Major outage — Codespaces (incident: Incident with Codespaces)" in lines[0]
    assert "GitHub: Operational" in lines[1]


def test_wait_times_out_with_124(status_server: StatusServer, tmp_path: Path) -> None:
    status_server.serve(SUMMARY, MAJOR)
    config = write_config(tmp_path, status_server, {"GitHub": "/"})
    result = traywatch("wait", "GitHub", "--config", str(config), "--timeout", "1")
    assert result.returncode == 124
    assert "gave up after 1 s" in result.stderr


def test_log_file_masks_credentials_in_urls(status_server: StatusServer, tmp_path: Path) -> None:
    status_server.serve(SUMMARY, b"nope", status=500)
    url = status_server.base_url.replace("http://", "http://alice:hunter2@")
    config = tmp_path / "config.toml"
    config.write_text(f'[[services]]\nname = "Private"\nurl = "{url}"\n', encoding="utf-8")
    result = traywatch("check", "--config", str(config), "--verbose")
    assert result.returncode == 3
    log_dir = Path(os.environ["XDG_STATE_HOME"]) / "traywatch" / "log"
    log_text = (log_dir / "traywatch.log").read_text(encoding="utf-8")
    assert "Private: could not check: HTTP 500" in log_text
    assert "hunter2" not in log_text + result.stderr + result.stdout


def test_catalog_lists_and_searches() -> None:
    result = traywatch("catalog", "--search", "solarwinds")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == [
        "loggly-solarwinds",
        "papertrail-solarwinds",
    ]
    as_json = json.loads(traywatch("catalog", "--search", "heroku", "--json").stdout)
    assert [e["id"] for e in as_json] == ["heroku"]
    assert as_json[0]["kind"] == "heroku"
    everything = json.loads(traywatch("catalog", "--json").stdout)
    assert len(everything) >= 500
    bad = traywatch("catalog", "--category", "Nonsense")
    assert bad.returncode == 3
    assert "--category: expected one of" in bad.stderr


def test_add_by_catalog_id(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    first = traywatch("add", "heroku", "--config", str(config))
    assert first.returncode == 0, first.stderr
    assert "Added Heroku (heroku, https://status.heroku.com)" in first.stdout
    assert traywatch("add", "papertrail", "--config", str(config)).returncode == 0
    again = traywatch("add", "heroku", "--config", str(config))
    assert again.stdout.strip() == "Heroku is already watched."
    import tomllib

    services = tomllib.loads(config.read_text(encoding="utf-8"))["services"]
    assert [(s["name"], s["kind"]) for s in services] == [
        ("Heroku", "heroku"),
        ("Papertrail (SolarWinds)", "statuspage"),
    ]
    typo = traywatch("add", "herokku", "--config", str(config))
    assert typo.returncode == 3
    assert "did you mean: heroku?" in typo.stderr


def test_add_keeps_the_default_watchlist_in_a_first_config() -> None:
    result = traywatch("add", "sentry")
    assert result.returncode == 0, result.stderr
    from traywatch.config import load_config

    names = [s.name for s in load_config().services]
    assert names[:4] == ["Heroku", "GitHub", "Cloudflare", "OpenAI"]
    assert names[-1] == "Sentry"


def test_export_and_import_the_watchlist(tmp_path: Path) -> None:
    source = tmp_path / "mine.toml"
    source.write_text(
        '[settings]\ninterval = 300\n\n[[services]]\nname = "GitHub"\n'
        'url = "https://www.githubstatus.com"\n\n[[services]]\nname = "api"\nkind = "http"\n'
        'url = "https://api.example.test/health"\nauth = "bearer"\nsecret = "api-token"\n',
        encoding="utf-8",
    )
    exported = traywatch("export", "--config", str(source))
    assert exported.returncode == 0, exported.stderr
    import tomllib

    data = tomllib.loads(exported.stdout)
    assert [s["name"] for s in data["services"]] == ["GitHub", "api"]
    assert data["services"][1]["secret"] == "api-token"  # the name, never a value
    assert "interval" not in data.get("settings", {})  # the watchlist, not the settings

    target = tmp_path / "other.toml"
    target.write_text(
        '[[services]]\nname = "GitHub"\nurl = "https://www.githubstatus.com"\n', "utf-8"
    )
    listing = tmp_path / "list.toml"
    listing.write_text(exported.stdout, encoding="utf-8")
    imported = traywatch("import", str(listing), "--config", str(target))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 1 services" in imported.stdout
    assert "(1 already watched)" in imported.stdout
    names = [s["name"] for s in tomllib.loads(target.read_text(encoding="utf-8"))["services"]]
    assert names == ["GitHub", "api"]

    broken = tmp_path / "broken.toml"
    broken.write_text("[[services]]\nname = 1\n", encoding="utf-8")
    before = target.read_bytes()
    refused = traywatch("import", str(broken), "--config", str(target))
    assert refused.returncode == 3
    assert "services[0].name: expected a string" in refused.stderr
    assert target.read_bytes() == before
