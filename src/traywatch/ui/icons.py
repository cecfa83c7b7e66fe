"""Tray and menu icons drawn from the SVG sources in resources/icons.

Each state has its own shape as well as its own colour, for colour-blind users
and monochrome panels. Every colour comes from ui/palette.py for the palette in use
(light or dark, each measured for contrast), so icons are redrawn when it changes.
Markers are drawn over the state, never instead of it: open incidents (top right),
notifications paused (bottom right)."""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.resources import files

from PySide6.QtCore import QBuffer, QByteArray, QSize
from PySide6.QtGui import (
    QGuiApplication,
    QIcon,
    QImage,
    QImageReader,
    QPainter,
    QPalette,
    QPixmap,
)

from traywatch import APP_ID
from traywatch.core.health import TrayState
from traywatch.core.model import Severity
from traywatch.ui import palette as colours

SIZES = (16, 22, 24, 32, 48, 64)


@cache
def _source(name: str) -> str:
    return (files("traywatch.resources") / "icons" / f"{name}.svg").read_text(encoding="utf-8")


def _neutral_colours(palette: QPalette) -> tuple[str, str]:
    """Foreground and background for the neutral icons, readable on this panel."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    return text.name(), window.name()


def _state_colours(state: TrayState, palette: QPalette) -> dict[str, str]:
    """What the SVG sources' placeholders stand for, on this palette."""
    fg, bg = _neutral_colours(palette)
    scheme = colours.scheme_of(palette)
    fill = colours.state_colour(state, palette)
    glyph = scheme.glyph_on(fill)
    badge = colours.readable(scheme.badge_for(state), palette, colours.GRAPHICS)
    return {
        "fg": fg,
        "bg": bg,
        "fill": fill,
        "glyph": glyph,
        "ring": glyph,
        "badge": badge,
        "badge_glyph": scheme.glyph_on(badge),
    }


def svg_image(svg: str, pixels: int) -> QImage:
    """An SVG drawn at pixels x pixels (also what the packages' icons are rendered with)."""
    # Qt's SVG image plugin, loaded on demand: importing PySide6.QtSvg would add
    # ~30 ms before the first icon (measured).
    data = QByteArray(svg.encode("utf-8"))
    buffer = QBuffer(data)
    reader = QImageReader(buffer, QByteArray(b"svg"))
    reader.setScaledSize(QSize(pixels, pixels))
    image = reader.read()
    if image.isNull():
        raise RuntimeError(f"cannot render an icon: {reader.errorString()}")
    return image


def _render(svg: str, size: int, ratio: float) -> QPixmap:
    pixmap = QPixmap.fromImage(svg_image(svg, max(1, round(size * ratio))))
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def state_icon(
    state: TrayState,
    *,
    incidents: bool = False,
    paused: bool = False,
    palette: QPalette | None = None,
) -> QIcon:
    """A crisp icon at every tray size, at the screen's device pixel ratio."""
    used = palette or QGuiApplication.palette()
    # The menus ask for one per service at each refresh: the colours are worked out once
    # per palette (a changed palette has a new cache key).
    key = (state, used.cacheKey())
    placeholders = _placeholders.get(key)
    if placeholders is None:
        if len(_placeholders) >= 64:
            _placeholders.clear()
        placeholders = _placeholders[key] = tuple(sorted(_state_colours(state, used).items()))
    return _cached_icon(state, incidents, paused, placeholders, _device_pixel_ratio())


_placeholders: dict[tuple[TrayState, int], tuple[tuple[str, str], ...]] = {}


@lru_cache(maxsize=64)
def _cached_icon(
    state: TrayState,
    incidents: bool,
    paused: bool,
    placeholders: tuple[tuple[str, str], ...],
    ratio: float,
) -> QIcon:
    # Rendering SVG is the costly part: once per state, markers, palette and screen.
    def coloured(name: str) -> str:
        svg = _source(name)
        for key, value in placeholders:
            svg = svg.replace("{" + key + "}", value)
        return svg

    svg = coloured(state.value)
    markers = [coloured("incident-marker")] if incidents else []
    if paused:
        markers.append(coloured("paused-marker"))
    icon = QIcon()
    for size in SIZES:
        pixmap = _render(svg, size, ratio)
        if markers:
            painter = QPainter(pixmap)
            for marker in markers:
                painter.drawPixmap(0, 0, _render(marker, size, ratio))
            painter.end()
        icon.addPixmap(pixmap)
    return icon


def severity_icon(severity: Severity, palette: QPalette | None = None) -> QIcon:
    """The state dot used in menus and lists."""
    return state_icon(TrayState.of(severity), palette=palette)


def _device_pixel_ratio() -> float:
    screen = QGuiApplication.primaryScreen()
    return screen.devicePixelRatio() if screen is not None else 1.0


def application_icon() -> QIcon:
    """traywatch's own icon (windows, dialogs): the installed theme's, else the one shipped."""
    shipped = files("traywatch.resources") / f"{APP_ID}.svg"
    return QIcon.fromTheme(APP_ID, QIcon(str(shipped)))
