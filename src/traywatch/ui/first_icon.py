"""The tray icon as the last run left it, shown moments after the single-instance lock
is taken: before the config, the store, the monitor or any of their modules are loaded.

That work takes longer than starting Qt itself (measured: traywatch's modules, the
config and the 20-entry menu cost ~250 ms on top of a bare Qt tray app, which shows its
icon in ~300 ms); nobody should wait for it to see the icon. The app hands this icon to
its tray controller once that exists, so the panel sees one item throughout.

Only Qt and the standard library are imported here, on purpose."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QSystemTrayIcon

log = logging.getLogger(__name__)

# The sizes panels ask for; each is saved, so none is scaled from another.
SIZES = (16, 22, 24, 32, 48, 64)


def icon_directory() -> Path:
    import platformdirs  # already loaded by the logging set-up

    return Path(platformdirs.user_cache_dir("traywatch")) / "tray-icon"


def remembered_icon(directory: Path | None = None) -> QIcon | None:
    """The icon saved by the last run, or None (a first start, a cleared cache)."""
    directory = directory or icon_directory()
    icon = QIcon()
    for size in SIZES:
        pixmap = QPixmap(str(directory / f"{size}.png"))
        if not pixmap.isNull():
            icon.addPixmap(pixmap)
    return None if icon.isNull() else icon


def remember(icon: QIcon, directory: Path | None = None) -> None:
    """Saves the icon for the next start. Best effort: a cache that cannot be written
    only means the next start draws its first icon the slow way."""
    directory = directory or icon_directory()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for size in SIZES:
            path = directory / f"{size}.png"
            partial = directory / f".{size}.png.partial"
            if not icon.pixmap(size, size).save(str(partial), "PNG"):
                raise OSError(f"could not write {partial}")
            os.replace(partial, path)  # never a half-written icon for the next start
    except OSError as exc:
        log.warning("tray icon not remembered for the next start: %s", exc)


def show_first_icon(tooltip: str = "traywatch: starting") -> QSystemTrayIcon | None:
    """The remembered icon, shown in the tray; None when there is no tray or nothing
    remembered (the tray controller then shows its own icon, as it is drawn)."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    icon = remembered_icon()
    if icon is None:
        return None
    tray = QSystemTrayIcon(icon)
    tray.setToolTip(tooltip)
    tray.show()
    return tray
