"""Secrets in the real OS keyring (gnome-keyring's Secret Service on the test
desktop's private session bus), and nowhere else."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.server import StatusServer

SECRET = "tw-Sekr3t-9f8e7d6c5b4a"


def traywatch(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "traywatch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_backend_is_the_real_secret_service() -> None:
    result = traywatch("secret", "backend")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("keyring.backends.SecretService.Keyring (safe)")


def test_bearer_and_basic_secrets_reach_the_endpoint_and_nothing_else(
    status_server: StatusServer, tmp_path: Path
) -> None:
    route = status_server.serve("/health", b"ok", content_type="text/plain")
    stored = traywatch("secret", "set", "my-app-token", stdin=SECRET + "\n")
    assert stored.returncode == 0, stored.stderr
    assert "Stored 'my-app-token' in keyring.backends.SecretService.Keyring" in stored.stdout
    assert traywatch("secret", "set", "my-app-password", stdin=SECRET + "\n").returncode == 0
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[[services]]
name = "my-app"
kind = "http"
url = "{status_server.url("/health")}"
auth = "bearer"
secret = "my-app-token"

[[services]]
name = "my-admin"
kind = "http"
url = "{status_server.url("/health")}"
auth = "basic"
username = "deploy"
secret = "my-app-password"
""",
        encoding="utf-8",
    )
    result = traywatch("check", "--config", str(config), "--json", "--verbose")
    assert result.returncode == 0, result.stderr
    received = sorted(h["authorization"] for h in route.request_headers)
    basic = base64.b64encode(f"deploy:{SECRET}".encode()).decode()
    assert received == [f"Basic {basic}", f"Bearer {SECRET}"]

    exported = traywatch("export", "--config", str(config))
    assert exported.returncode == 0, exported.stderr
    # The secret is nowhere but in the keyring: config, store, logs, output, export.
    places = [config.read_text(encoding="utf-8"), result.stdout, result.stderr, exported.stdout]
    for directory in (os.environ["XDG_DATA_HOME"], os.environ["XDG_STATE_HOME"]):
        for path in Path(directory).rglob("*"):
            if path.is_file():
                places.append(path.read_bytes().decode("utf-8", errors="replace"))
    assert len(places) > 4  # the store and the log were there to be searched
    for text in places:
        assert SECRET not in text
        assert basic not in text

    assert traywatch("secret", "delete", "my-app-token").stdout.strip() == "Deleted 'my-app-token'."
    missing = traywatch("check", "--config", str(config), "--json")
    services = {s["name"]: s for s in json.loads(missing.stdout)["services"]}
    assert services["my-app"]["error"] == "the secret 'my-app-token' is not in the keyring"
