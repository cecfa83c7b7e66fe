"""Renders the application icon (resources/<APP_ID>.svg) for the packages: a hicolor
icon theme tree (the SVG and PNG sizes), a Windows .ico and a macOS .icns (both hold
PNGs, written here so no platform tool is needed). Uses Qt's SVG renderer, as the app.

Usage: python packaging/render_icons.py OUTPUT_DIR"""

from __future__ import annotations

import os
import struct
import sys
from importlib.resources import files
from pathlib import Path

HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 256)
# icns element types holding PNG data, by pixel size (the @2x ones share pixels).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def render_png(svg: bytes, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from traywatch.ui.icons import svg_image

    out = QByteArray()
    writer = QBuffer(out)
    writer.open(QIODevice.OpenModeFlag.WriteOnly)
    svg_image(svg.decode("utf-8"), size).save(writer, "PNG")
    return bytes(out.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO whose images are PNGs (Windows Vista and later read them)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    directory, data = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        data += png
        offset += len(png)
    return header + directory + data


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from traywatch import APP_ID

    output = Path(sys.argv[1])
    output.mkdir(parents=True, exist_ok=True)
    _app = QGuiApplication([])
    svg = (files("traywatch.resources") / f"{APP_ID}.svg").read_bytes()
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render_png(svg, size) for size in sizes}
    # hicolor/ is laid out as under share/icons/.
    for size in HICOLOR_SIZES:
        apps = output / "hicolor" / f"{size}x{size}" / "apps"
        apps.mkdir(parents=True, exist_ok=True)
        (apps / f"{APP_ID}.png").write_bytes(pngs[size])
    scalable = output / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    (scalable / f"{APP_ID}.svg").write_bytes(svg)
    (output / f"{APP_ID}.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    (output / f"{APP_ID}.icns").write_bytes(icns(pngs))


if __name__ == "__main__":
    main()
