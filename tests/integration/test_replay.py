from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES

GITHUB = FIXTURES / "statuspage"


def record(directory: Path, at: str, fixture: str | None) -> None:
    target = directory / f"{at}.json"
    if fixture is None:
        target.write_bytes(b"")  # a failed poll
    else:
        shutil.copy(GITHUB / fixture, target)


def run_replay(directory: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "traywatch",
            "replay",
            "--kind",
            "statuspage",
            "--name",
            "GitHub",
            *extra,
            str(directory),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_replay_tells_the_story_in_a_few_notifications(tmp_path: Path) -> None:
    record(tmp_path, "2026-04-16T14:00:00Z", "githubstatus-summary-all-operational.json")
    record(tmp_path, "2026-04-16T15:07:00Z", "githubstatus-summary-major-outage.json")
    record(tmp_path, "2026-04-16T15:20:00Z", None)
    record(tmp_path, "2026-04-16T15:22:00Z", "githubstatus-summary-major-outage.json")
    record(tmp_path, "2026-04-16T17:00:00Z", "githubstatus-summary-all-operational.json")
    result = run_replay(tmp_path, "--interval", "120")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(n["at"], n["event"], n["incident_id"]) for n in lines] == [
        ("2026-04-16T14:00:00+00:00", "current_state", None),
        ("2026-04-16T15:07:00+00:00", "new_incident", "bjyfg0yz1lwj"),
        # gone from the list of open incidents for two polls in a row
        ("2026-04-16T17:02:00+00:00", "incident_resolved", "bjyfg0yz1lwj"),
    ]
    assert set(lines[1]) == {"at", "service", "event", "severity", "title", "body", "incident_id"}
    assert lines[1]["title"] == "GitHub: Incident with Codespaces"
    assert lines[1]["severity"] == "major_outage"


def test_replay_uses_the_config_for_notification_settings(tmp_path: Path) -> None:
    history = tmp_path / "history"
    history.mkdir()
    record(history, "2026-04-16T14:00:00Z", "githubstatus-summary-all-operational.json")
    record(history, "2026-04-16T15:07:00Z", "githubstatus-summary-minor-degraded-performance.json")
    config = tmp_path / "config.toml"
    config.write_text('[notifications]\nmin_severity = "partial_outage"\n', encoding="utf-8")
    result = run_replay(history, "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["event"] for line in result.stdout.splitlines()] == ["current_state"]


def test_replay_rejects_a_stray_file_name(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hi", encoding="utf-8")
    result = run_replay(tmp_path)
    assert result.returncode == 3
    assert (
        "notes.txt: the file name is not a UTC time such as 2025-03-01T12:00:07Z.json"
        in result.stderr
    )


def test_replay_watches_what_the_config_watches(tmp_path: Path) -> None:
    import tarfile

    with tarfile.open(FIXTURES / "histories" / "cloudflare-2025-03-26.tar.xz") as archive:
        archive.extractall(tmp_path, filter="data")
    history = tmp_path / "cloudflare-2025-03-26"
    config = tmp_path / "config.toml"
    config.write_text(
        '[[services]]\nname = "Cloudflare"\nurl = "https://www.cloudflarestatus.com"\n'
        'components = ["Workers"]\n',
        encoding="utf-8",
    )

    def told(*extra: str) -> list[dict[str, str]]:
        command = ["replay", "--kind", "statuspage", "--name", "Cloudflare", *extra]
        result = subprocess.run(
            [sys.executable, "-m", "traywatch", *command, str(history)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines()]

    everything = told()
    workers = told("--config", str(config))
    api_outage = "Cloudflare: Cloudflare API service issues"
    assert api_outage in {n["title"] for n in everything}
    assert api_outage not in {n["title"] for n in workers}
    assert "Cloudflare: Cloudflare Workers: Supabase integration issues" in {
        n["title"] for n in workers
    }
    assert not [n for n in everything if n["event"] == "maintenance_started"]
