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


def traywatch(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "traywatch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_the_backend_is_the_real_secret_service() -> None:
    result = traywatch("secret", "backend")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Secrets are kept in the desktop keyring (Secret Service) (safe).",
        "keyring: keyring.backends.SecretService.Keyring (priority 5)",
    ]


def test_bearer_and_basic_secrets_reach_the_endpoint_and_nothing_else(
    status_server: StatusServer, tmp_path: Path
) -> None:
    route = status_server.serve("/health", b"ok", content_type="text/plain")
    stored = traywatch("secret", "set", "my-app-token", stdin=SECRET + "\n")
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout == "Stored 'my-app-token' in the desktop keyring (Secret Service).\n"
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


# -- stores keyring may resolve to, installed the way keyring finds plugins -----------------

VAULT = """
import json, os
from pathlib import Path
from keyring.backend import KeyringBackend


class {name}(KeyringBackend):
    priority = {priority}
    file_path = {file_path!r}

    def _load(self):
        path = Path(os.environ["TW_VAULT_DIR"]) / "{name}.json"
        return path, json.loads(path.read_text()) if path.exists() else {{}}

    def get_password(self, service, username):
        return self._load()[1].get(service + "/" + username)

    def set_password(self, service, username, password):
        if {keeps}:
            path, data = self._load()
            data[service + "/" + username] = password
            path.write_text(json.dumps(data))

    def delete_password(self, service, username):
        path, data = self._load()
        data.pop(service + "/" + username, None)
        path.write_text(json.dumps(data))
"""


def keyring_plugin(
    tmp_path: Path, name: str, priority: float, *, keeps: bool = True, file_path: str | None = None
) -> dict[str, str]:
    """A keyring store installed as a plugin (an entry point keyring discovers); the
    environment that makes a traywatch process see it."""
    plugins = tmp_path / "plugins"
    (plugins / f"{name.lower()}-1.0.dist-info").mkdir(parents=True)
    (plugins / f"{name.lower()}.py").write_text(
        VAULT.format(name=name, priority=priority, keeps=keeps, file_path=file_path)
    )
    info = plugins / f"{name.lower()}-1.0.dist-info"
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name.lower()}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[keyring.backends]\n{name} = {name.lower()}\n")
    path = os.pathsep.join(filter(None, (str(plugins), os.environ.get("PYTHONPATH"))))
    return {"PYTHONPATH": path, "TW_VAULT_DIR": str(tmp_path)}


def test_a_chain_of_safe_stores_is_accepted(tmp_path: Path) -> None:
    # Two recommended stores: keyring chains them (as on a desktop with KWallet and the
    # Secret Service), and the chain is as safe as its members.
    env = keyring_plugin(tmp_path, "SafeVault", priority=2)
    backend = traywatch("secret", "backend", env=env)
    assert backend.returncode == 0, backend.stderr
    assert backend.stdout.splitlines() == [
        "Secrets are kept in the desktop keyring (Secret Service) (safe).",
        "keyring: keyring.backends.SecretService.Keyring (priority 5), "
        "safevault.SafeVault (priority 2)",
    ]
    stored = traywatch("secret", "set", "tw-chain-token", stdin="chained\n", env=env)
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout == "Stored 'tw-chain-token' in the desktop keyring (Secret Service).\n"
    assert traywatch("secret", "delete", "tw-chain-token").returncode == 0


def test_a_chain_that_may_fall_back_to_a_plain_file_needs_consent(tmp_path: Path) -> None:
    plain = str(tmp_path / "keyring_pass.cfg")
    env = keyring_plugin(tmp_path, "PlainVault", priority=0.5, file_path=plain)
    refused = traywatch("secret", "set", "tw-plain-token", stdin="x\n", env=env)
    assert refused.returncode == 3
    assert refused.stderr == (
        "traywatch secret: error: cannot store 'tw-plain-token': secrets would be kept in "
        f"the desktop keyring (Secret Service), falling back to a file ({plain}), which "
        "anyone who can read your files may read; allow that explicitly to use it\n"
    )
    accepted = traywatch(
        "secret", "set", "tw-plain-token", "--allow-plaintext", stdin="x\n", env=env
    )
    assert accepted.returncode == 0, accepted.stderr
    assert traywatch("secret", "delete", "tw-plain-token").returncode == 0


def test_a_store_that_keeps_nothing_is_never_accepted(tmp_path: Path) -> None:
    null = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    result = traywatch("secret", "set", "tw-null", "--allow-plaintext", stdin="x\n", env=null)
    assert result.returncode == 3
    assert "cannot store 'tw-null': no usable keyring: nothing can be stored" in result.stderr
    assert traywatch("secret", "backend", env=null).returncode == 1

    env = keyring_plugin(tmp_path, "Forgetful", priority=3, keeps=False)
    env["PYTHON_KEYRING_BACKEND"] = "forgetful.Forgetful"
    forgot = traywatch("secret", "set", "tw-forgot", "--allow-plaintext", stdin="x\n", env=env)
    assert forgot.returncode == 3
    assert "the keyring store 'forgetful Forgetful' accepted it but did not keep it" in (
        forgot.stderr
    )


def test_a_secret_http_cannot_send_is_a_plain_failure_never_logged(
    status_server: StatusServer, tmp_path: Path
) -> None:
    status_server.serve("/health", b"ok", content_type="text/plain")
    secret = "t\u00f6k\u00e9n\u2603"
    assert traywatch("secret", "set", "tw-unicode", stdin=secret + "\n").returncode == 0
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[services]]\nname = "my-app"\nkind = "http"\nurl = "{status_server.url("/health")}"\n'
        'auth = "bearer"\nsecret = "tw-unicode"\n',
        encoding="utf-8",
    )
    try:
        result = traywatch("check", "--config", str(config), "--json", "--verbose")
    finally:
        traywatch("secret", "delete", "tw-unicode")
    (service,) = json.loads(result.stdout)["services"]
    assert service["summary"].startswith("a request header holds characters HTTP cannot send")
    log = Path(os.environ["XDG_STATE_HOME"]) / "traywatch" / "log" / "traywatch.log"
    for text in (result.stdout, result.stderr, log.read_text(encoding="utf-8")):
        assert "internal error" not in text
        for character in secret[1], secret[3], secret[-1]:
            assert character not in text
            assert repr(character)[1:-1] not in text
