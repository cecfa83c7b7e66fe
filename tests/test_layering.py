"""The core must run without a display: nothing outside ui/ may import Qt."""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

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


# -- imports point downwards: read from the source, lazy imports inside functions included

SOURCE = Path(traywatch.__file__).parent
QT = ("PySide6", "shiboken6", "qasync")


def imported(path: Path, package: str | None = None) -> set[str]:
    """Every module a source file imports, wherever in the file (relative ones resolved)."""
    if package is None:
        package = ".".join(("traywatch", *path.relative_to(SOURCE).parent.parts))
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            # "from traywatch import providers" imports the package it names
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def sources(under: str = "") -> list[Path]:
    return sorted((SOURCE / under).rglob("*.py"))


def within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(f"{p}.") for p in packages)


def test_the_core_imports_nothing_above_it() -> None:
    """core/ is the bottom layer: providers, the poller, the UI and everything else
    build on it, never the reverse."""
    assert (SOURCE / "core" / "model.py") in sources("core")
    wrong = {
        f"{path.relative_to(SOURCE)}: {name}"
        for path in sources("core")
        for name in imported(path)
        if (within(name, ("traywatch",)) and not within(name, ("traywatch.core",)))
        or within(name, QT)
    }
    assert not wrong, sorted(wrong)


def test_only_the_ui_and_the_app_import_qt() -> None:
    allowed = (SOURCE / "ui", SOURCE / "app.py")
    checked = [p for p in sources() if not any(p == a or a in p.parents for a in allowed)]
    assert SOURCE / "monitor.py" in checked
    assert SOURCE / "ui" / "tray.py" not in checked
    wrong = {
        f"{path.relative_to(SOURCE)}: {name}"
        for path in checked
        for name in imported(path)
        if within(name, QT)
    }
    assert not wrong, sorted(wrong)


def test_the_import_reader_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    module = tmp_path / "focus.py"
    module.write_text(
        "import json\n"
        "from . import text\n"
        "from ..notify.policy import NotificationPolicy\n"
        "def later():\n"
        "    from traywatch.providers.summary import describe\n"
        "    import PySide6.QtCore\n"
    )
    assert imported(module, "traywatch.core") >= {
        "json",
        "traywatch.core.text",
        "traywatch.notify.policy",
        "traywatch.providers.summary",
        "PySide6.QtCore",
    }
    assert {"PySide6.QtCore", "traywatch.ui.eventloop"} <= imported(SOURCE / "app.py")
