"""The core must run without a display: nothing outside ui/ may import Qt."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import traywatch

CHECK = """
import importlib, importlib.abc, sys

class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'qasync', 'PyQt5', 'PyQt6'):
            raise ImportError('Qt is blocked in the core: ' + name)
        return None

sys.meta_path.insert(0, BlockQt())
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync'))
assert not loaded, loaded
print(len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(traywatch.__path__, prefix="traywatch.")
        if not info.name.startswith(("traywatch.ui", "traywatch.app", "traywatch.__main__"))
    ]
    return ["traywatch", *names]


def test_core_modules_import_without_qt() -> None:
    modules = core_modules()
    assert "traywatch.poller.scheduler" in modules
    assert "traywatch.cli" in modules
    result = subprocess.run(
        [sys.executable, "-c", CHECK, *modules], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(modules))


def test_version_does_not_import_the_network_stack() -> None:
    code = (
        "import sys; from traywatch.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "network = ('httpx', 'sqlite3', 'truststore')\n"
        "print('loaded=' + ','.join(m for m in network if m in sys.modules))"
    )
    # Unmeasured: coverage, when it measures the suite's subprocesses, loads sqlite3.
    unmeasured = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=unmeasured
    )
    assert "traywatch" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "loaded="
