"""`traywatch` against hostile pages, hostile files and a hostile machine (full disk,
read-only config directory, broken history database): plain messages, nothing lost,
nothing leaked, nothing obeyed by the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.integration.test_cli import SUMMARY, traywatch, write_config
from tests.support.server import StatusServer

TITLE = "\x1b]0;pwned\x07Incident \x1b]8;;https://evil.test\x1b\\with\x1b]8;;\x1b\\ Codespaces"
COMPONENT = "\x1b[2J\x9b31mCodespaces\x85"


def hostile_page() -> bytes:
    page = json.loads(fixture_bytes("statuspage/githubstatus-summary-major-outage.json"))
    page["incidents"][0]["name"] = TITLE
    page["incidents"][0]["incident_updates"][0]["body"] = "\x1bPq#0;2;0;0;0\x1b\\ body"
    for component in page["components"]:
        if component["name"] == "Codespaces":
            component["name"] = COMPONENT
    return json.dumps(page).encode()


def assert_inert(text: str) -> None:
    controls = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]
    assert controls == [], repr(text)


def test_check_and_wait_print_no_terminal_controls(
    status_server: StatusServer, tmp_path: Path
) -> None:
    status_server.serve(SUMMARY, hostile_page())
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[services]]\nname = "Git\\u001b[31mHub"\nurl = "{status_server.base_url}"\n',
        encoding="utf-8",
    )
    table = traywatch("check", "--config", str(config))
    assert table.returncode == 2, table.stderr
    assert "Incident ]0;pwnedIncident ]8;;https://evil.testwith]8;; Codespaces" not in table.stdout
    assert "]0;pwnedIncident ]8;;https://evil.test\\with]8;;\\ Codespaces" in table.stdout
    assert_inert(table.stdout + table.stderr)

    as_json = traywatch("check", "--config", str(config), "--json")
    assert_inert(as_json.stdout)
    data = json.loads(as_json.stdout)  # the same data, only escaped
    (service,) = data["services"]
    assert service["name"] == "Git\x1b[31mHub"
    assert TITLE in [i["title"] for i in service["incidents"]]
    assert COMPONENT.rstrip("\x85") in [c["name"].rstrip("\x85") for c in service["components"]]

    waited = traywatch("wait", "Git\x1b[31mHub", "--config", str(config), "--timeout", "1")
    assert waited.returncode == 124
    assert "Git[31mHub: Major outage" in waited.stdout
    assert_inert(waited.stdout + waited.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["wait", "GitHub", "--timeout", "nan"],
        ["wait", "GitHub", "--timeout", "inf"],
        ["wait", "GitHub", "--interval", "nan"],
        ["replay", "--kind", "statuspage", "--name", "x", "--interval", "nan", "."],
        ["replay", "--kind", "statuspage", "--name", "x", "--interval=-inf", "."],
    ],
)
def test_only_finite_numbers_are_accepted_as_arguments(args: list[str]) -> None:
    result = traywatch(*args)
    assert result.returncode == 3
    assert "expected a finite number of seconds" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1", "not a valid address"),
        ("http://127.0.0.1:99999/", "not a valid address"),
        ("http://xn--zz.test/", "'xn--zz.test' is not a valid host name"),
    ],
)
def test_a_bad_address_is_a_plain_error(tmp_path: Path, url: str, reason: str) -> None:
    direct = traywatch("check", "--url", url)
    assert direct.returncode == 3
    assert f"--url: {reason}" in direct.stderr
    config = tmp_path / "config.toml"
    config.write_text(f'[[services]]\nname = "a"\nurl = "{url}"\n', encoding="utf-8")
    configured = traywatch("check", "--config", str(config))
    assert configured.returncode == 3
    assert f"services[0].url: {reason}" in configured.stderr
    assert "Traceback" not in direct.stderr + configured.stderr


def test_export_never_carries_credentials_written_in_addresses(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[[services]]\nname = "mine"\nkind = "http"\nurl = "http://bob:pw@host.test/health"\n',
        encoding="utf-8",
    )
    printed = traywatch("export", "--config", str(config))
    assert printed.returncode == 0, printed.stderr
    target = tmp_path / "out.toml"
    written = traywatch("export", "--config", str(config), "--output", str(target))
    assert written.returncode == 0, written.stderr
    for text in (printed.stdout, target.read_text(encoding="utf-8")):
        assert "bob" not in text
        assert "pw" not in text
        assert 'url = "http://host.test/health"' in text


# -- a hostile machine -------------------------------------------------------------------


def in_small_disk(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`script` (sh) in a mount namespace where $DISK is a 64 KiB file system of its own."""
    disk = tmp_path / "disk"
    disk.mkdir()
    return subprocess.run(
        [
            "unshare",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            f"mount -t tmpfs -o size=64k tmpfs {disk} && {script}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "DISK": str(disk), "PY": sys.executable},
    )


@pytest.mark.parametrize(
    ("make_it_so", "reason"),
    [
        # fill the disk; dd stops with an error when it is full
        ("(dd if=/dev/zero of=$DISK/fill bs=4k 2>/dev/null; true)", "no space left on device"),
        ("mount -o remount,ro $DISK", "read-only file system"),
    ],
)
def test_add_on_a_full_or_read_only_disk_says_so_and_changes_nothing(
    tmp_path: Path, make_it_so: str, reason: str
) -> None:
    original = '[[services]]\nname = "Mine"\nurl = "https://mine.test"\n'
    script = (
        f"printf '%s' '{original}' > $DISK/config.toml && {make_it_so} && "
        '"$PY" -m traywatch add heroku --config $DISK/config.toml; echo "exit=$?"; '
        "cat $DISK/config.toml; ls -a $DISK"
    )
    result = in_small_disk(script, tmp_path)
    assert "exit=3" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert message.startswith("traywatch: config error: ")
    assert f"config.toml: not saved, {reason}; the file is unchanged" in message
    assert original in result.stdout  # the file as it was
    assert ".tmp" not in result.stdout  # and no half-written temp file left behind


def test_a_full_log_disk_is_said_once_not_per_record(tmp_path: Path) -> None:
    log_dir = tmp_path / "log"
    log_dir.mkdir()
    (log_dir / "traywatch.log").symlink_to("/dev/full")  # every write: no space left
    script = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from traywatch.logging_setup import setup_logging\n"
        "setup_logging(log_dir=Path(sys.argv[1]))\n"
        "for i in range(50):\n"
        "    logging.getLogger('traywatch').warning('record %d', i)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(log_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "--- Logging error ---" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("cannot write the log file") == 1
    assert "No space left on device" in result.stderr


def test_check_says_once_that_a_broken_history_database_was_not_used(
    status_server: StatusServer, tmp_path: Path
) -> None:
    status_server.serve(
        SUMMARY, fixture_bytes("statuspage/githubstatus-summary-all-operational.json")
    )
    config = write_config(tmp_path, status_server, {"GitHub": "/", "Again": "/"})
    store = Path(os.environ["XDG_DATA_HOME"]) / "traywatch" / "state.sqlite3"
    store.parent.mkdir(parents=True)
    garbage = b"not a database, but someone's work " * 100
    store.write_bytes(garbage)
    result = traywatch("check", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "GitHub" in result.stdout
    assert result.stderr.count("the history database") == 1
    assert "cannot be used (file is not a database)" in result.stderr
    assert "this check was not recorded" in result.stderr
    assert "Traceback" not in result.stderr
    assert store.read_bytes() == garbage
