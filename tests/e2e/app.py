"""The real traywatch as a user runs it: a subprocess on the test desktop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any


def log_file() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "traywatch" / "log" / "traywatch.log"


class App:
    """`traywatch` started as a subprocess, with its own data and socket directories."""

    def __init__(self, config: Path, home: Path, env: dict[str, str] | None = None) -> None:
        self.config = config
        self.env = {**os.environ, "TMPDIR": str(home), **(env or {})}
        self.process: subprocess.Popen[str] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        self.process = self.spawn()

    def spawn(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "traywatch", "--config", str(self.config)],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def log(self) -> str:
        path = log_file()
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def command(self, name: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "traywatch", name], env=self.env, check=True, timeout=30
        )

    def stats(self) -> dict[str, Any]:
        out = subprocess.run(
            [sys.executable, "-m", "traywatch", "stats"],
            env=self.env,
            check=True,
            timeout=30,
            capture_output=True,
            text=True,
        )
        stats: dict[str, Any] = json.loads(out.stdout)
        return stats

    def stop(self) -> tuple[int, str]:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        _, stderr = self.process.communicate(timeout=30)
        code = self.process.returncode
        self.process = None
        return code, stderr

    def kill(self, signum: int = signal.SIGKILL) -> None:
        """Ended the hard way: no clean-up of any kind."""
        assert self.process is not None
        self.process.send_signal(signum)
        self.process.communicate(timeout=30)
        self.process = None

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.communicate()
            self.process = None
