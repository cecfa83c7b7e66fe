"""Building the packages from a test, and starting traywatch the way a desktop does:
through a desktop entry, with GLib's launcher (`gio launch`, what GNOME and most
panels use), then finding the tray app it started by its icon."""

from __future__ import annotations

import ast
import hashlib
import os
import signal
import subprocess
import tempfile
from pathlib import Path

from tests.e2e.desktop import tray_pids, wait_until
from tests.support.server import StatusServer

ROOT = Path(__file__).resolve().parents[2]
OPERATIONAL = ROOT / "tests/providers/fixtures/statuspage/githubstatus-summary-all-operational.json"


def build_cache() -> Path:
    """scripts/package's cache (build venv, PyInstaller's work files): outside the
    clone, and not under the tests' private XDG_CACHE_HOME, so it outlives the run."""
    return Path(os.environ.get("TRAYWATCH_BUILD_CACHE") or Path.home() / ".cache/traywatch-build")


def package(target: str, dist: Path) -> None:
    env = {**os.environ, "DIST": str(dist), "TRAYWATCH_BUILD_CACHE": str(build_cache())}
    result = subprocess.run(
        ["bash", str(ROOT / "scripts/package"), target],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def bundle_inputs_key() -> str:
    """What a frozen bundle depends on: everything under packaging/, the build scripts,
    the pinned dependencies, and the shape of the code (its files and what they import,
    and the provider registry, which imports by name) but not the code's every line."""
    digest = hashlib.sha256()
    inputs = [
        *sorted((ROOT / "packaging").rglob("*")),
        ROOT / "scripts/package",
        ROOT / "scripts/lib.sh",
        ROOT / "constraints.txt",
        ROOT / "pyproject.toml",
        ROOT / "src/traywatch/providers/__init__.py",
    ]
    for path in inputs:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for path in sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "resources").rglob("*")]):
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        if path.suffix == ".py":
            digest.update(" ".join(sorted(_imports(path))).encode() + b"\0")
    return digest.hexdigest()[:16]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def watch_loopback(server: StatusServer) -> None:
    """The user's default config (no --config: a desktop entry passes none) watches one
    page on the loopback server, so that nothing reaches the internet."""
    server.serve("/api/v2/summary.json", OPERATIONAL.read_bytes())
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "traywatch" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[[services]]\nname = "GitHub"\nkind = "statuspage"\nurl = "{server.base_url}"\n',
        encoding="utf-8",
    )


def launch(entry: Path, env: dict[str, str]) -> int:
    """Starts a desktop entry as a desktop does; returns the PID of the traywatch whose
    icon then appears in the tray."""
    before = tray_pids()
    gio_launch(entry, env)
    started = wait_until(lambda: tray_pids() - before, timeout=30, what=f"an icon from {entry}")
    assert len(started) == 1, started
    return int(started.pop())


def gio_launch(entry: Path, env: dict[str, str] | None = None) -> None:
    # Not through pipes: the program started inherits them and keeps them open.
    with tempfile.TemporaryFile() as errors:
        result = subprocess.run(
            ["gio", "launch", str(entry)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            timeout=30,
        )
        errors.seek(0)
        assert result.returncode == 0, errors.read().decode()


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


def stop(pid: int) -> None:
    """Quits the tray app started by `launch` (not our child: the launcher's)."""
    os.kill(pid, signal.SIGTERM)

    def gone() -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        return state == "Z"  # exited; reaped whenever its new parent gets to it

    wait_until(gone, timeout=20, what=f"traywatch (PID {pid}) to quit")
