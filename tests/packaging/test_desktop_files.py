"""What the packages install for the desktop: the menu entry and AppStream metainfo
validate, one application ID is used everywhere, and the application icon is its own
(not a state icon) and reads at 16 px as at 256 px."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from tests.packaging.helpers import ROOT
from traywatch import APP_ID, __version__

RESOURCES = ROOT / "resources"
sys.path.insert(0, str(ROOT / "packaging"))
from render_icons import render_png  # noqa: E402


def test_the_menu_entry_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(RESOURCES / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    assert not result.stdout


def test_the_metainfo_validates_and_describes_this_release() -> None:
    metainfo = RESOURCES / f"{APP_ID}.metainfo.xml"
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--explain", str(metainfo)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    assert "W:" not in result.stdout, result.stdout
    assert "E:" not in result.stdout, result.stdout
    root = ET.parse(metainfo).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("icon") == APP_ID
    newest = root.find("releases/release")
    assert newest is not None
    assert newest.attrib["version"] == __version__
    assert root.find("content_rating") is not None
    assert root.findall("screenshots/screenshot/image")
    for image in root.iterfind("screenshots/screenshot/image"):
        name = (image.text or "").rsplit("/", 1)[-1]
        assert (ROOT / "packaging" / "linux" / "screenshots" / name).is_file(), name


def test_one_application_id_everywhere() -> None:
    """Desktop file, icon, metainfo, Qt's desktop file name, notifications, macOS
    bundle, Windows AppUserModelID, Flatpak: one reverse-DNS name, APP_ID."""
    assert APP_ID == "io.github.traywatch.Traywatch"
    sources = [
        *RESOURCES.glob(f"{APP_ID}.*"),
        *(p for p in (ROOT / "packaging").rglob("*") if p.is_file() and p.suffix != ".png"),
        *(ROOT / "src" / "traywatch").rglob("*.py"),
    ]
    named = {
        name
        for path in sources
        for name in re.findall(r"\bio\.github\.\w+\.\w+", path.read_text(encoding="utf-8"))
    }
    assert named == {APP_ID}
    expected = {
        "src/traywatch/app.py": ["setDesktopFileName(APP_ID)", "AppUserModelID(APP_ID)"],
        "src/traywatch/notify/freedesktop.py": ['"desktop-entry": ("s", APP_ID)'],
        "src/traywatch/autostart.py": ["<string>{APP_ID}</string>"],
        "packaging/traywatch.spec": ["bundle_identifier=APP_ID", "CFBundleIdentifier=APP_ID"],
        "packaging/windows/traywatch.iss": ['AppUserModelID: "{#AppId}"'],
        f"packaging/flatpak/{APP_ID}.yml": [f"id: {APP_ID}"],
        "scripts/package": ['"//DAppId=$APP_ID"'],
    }
    for path, needles in expected.items():
        text = (ROOT / path).read_text(encoding="utf-8")
        for needle in needles:
            assert needle in text, (path, needle)


@pytest.fixture(scope="module")
def qt() -> object:
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication([])


def pixels(png: bytes) -> list[tuple[int, int, int, int]]:
    from PySide6.QtGui import QImage

    image = QImage.fromData(png).convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytes(image.constBits())
    return [tuple(data[i : i + 4]) for i in range(0, len(data), 4)]  # type: ignore[misc]


@pytest.mark.usefixtures("qt")
@pytest.mark.parametrize("size", [16, 256])
def test_the_application_icon_is_its_own_at_small_and_large_sizes(size: int) -> None:
    app_icon = pixels(render_png((RESOURCES / f"{APP_ID}.svg").read_bytes(), size))
    assert len(app_icon) == size * size
    # mostly opaque (a tile, not a thin glyph), with a light pulse on a blue ground
    opaque = [p for p in app_icon if p[3] > 200]
    assert len(opaque) > 0.7 * size * size
    assert any(r > 230 and g > 230 and b > 230 for r, g, b, _ in opaque)
    assert sum(b > r + 60 for r, _, b, _ in opaque) > 0.4 * len(opaque)
    for state in (RESOURCES / "icons").glob("*.svg"):
        svg = state.read_text(encoding="utf-8").replace("{fg}", "#000").replace("{bg}", "#fff")
        other = pixels(render_png(svg.encode(), size))
        differing = sum(
            abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]) > 120
            for a, b in zip(app_icon, other, strict=True)
        )
        assert differing > 0.3 * size * size, state.name
