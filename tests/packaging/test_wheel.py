"""The wheel and sdist as `scripts/package wheel` builds them: what they carry, and the
wheel installed into a clean venv, started from the command line, the menu entry it
ships and the autostart entry it writes."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.packaging.helpers import ROOT, command_line, launch, package, stop, watch_loopback
from tests.support.server import StatusServer
from traywatch import APP_ID, __version__


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    package("wheel", out)
    return out


@pytest.fixture
def wheel(dist: Path) -> Path:
    return dist / f"traywatch-{__version__}-py3-none-any.whl"


def test_the_wheel_carries_every_module_the_catalog_icons_and_desktop_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        "traywatch/" + str(p.relative_to(ROOT / "src/traywatch"))
        for p in (ROOT / "src/traywatch").rglob("*.py")
    }
    assert modules <= names, modules - names
    resources = {
        "traywatch/resources/" + str(p.relative_to(ROOT / "resources"))
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert resources <= names, resources - names
    for shipped in ("catalog.json", f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml", f"{APP_ID}.svg"):
        assert f"traywatch/resources/{shipped}" in names
    assert "traywatch/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "packaging/")) or "__pycache__" in n]

    info = f"traywatch-{__version__}.dist-info"
    entry_points = zipfile.ZipFile(wheel).read(f"{info}/entry_points.txt").decode()
    assert "traywatch = traywatch.cli:main" in entry_points
    metadata = zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode()
    for requirement in ("PySide6-Essentials", "httpx", "qasync", "keyring", "truststore"):
        assert f"Requires-Dist: {requirement}" in metadata
    assert "Provides-Extra: package" in metadata


def test_the_sdist_builds_the_same_package(dist: Path) -> None:
    with tarfile.open(dist / f"traywatch-{__version__}.tar.gz") as sdist:
        names = set(sdist.getnames())
    top = f"traywatch-{__version__}"
    for needed in ("pyproject.toml", "README.md", "src/traywatch/cli.py", "resources/catalog.json"):
        assert f"{top}/{needed}" in names
    assert f"{top}/resources/{APP_ID}.svg" in names


@pytest.mark.usefixtures("desktop")
def test_the_wheel_installed_in_a_clean_venv_runs_from_terminal_menu_and_login(
    wheel: Path, tmp_path: Path, status_server: StatusServer
) -> None:
    venv = tmp_path / "clean venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--no-index", "--no-deps", "--quiet", str(wheel)], check=True)
    traywatch = venv / "bin" / "traywatch"
    version = subprocess.run([traywatch, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"traywatch {__version__}"

    # Its dependencies: those of this venv (installing them again would need the network).
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    where = subprocess.run(
        [python, "-c", "import traywatch; print(traywatch.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(site)
    catalog = subprocess.run(
        [traywatch, "catalog", "--search", "heroku"], capture_output=True, text=True, check=True
    )
    assert "https://status.heroku.com" in catalog.stdout
    watch_loopback(status_server)
    check = subprocess.run([traywatch, "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Operational" in check.stdout

    env = {**os.environ, "TMPDIR": str(tmp_path), "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}
    menu_entry = Path(site) / "traywatch" / "resources" / f"{APP_ID}.desktop"
    pid = launch(menu_entry, env)
    try:
        assert command_line(pid) == [str(python), str(traywatch)]
    finally:
        stop(pid)

    subprocess.run([traywatch, "autostart", "on"], check=True, capture_output=True)
    login_entry = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / f"{APP_ID}.desktop"
    pid = launch(login_entry, env)
    try:
        assert command_line(pid) == [str(python), "-m", "traywatch"]
    finally:
        stop(pid)
    subprocess.run([traywatch, "autostart", "off"], check=True, capture_output=True)
    assert not login_entry.exists()
