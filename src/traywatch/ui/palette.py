"""Every colour traywatch draws with, chosen for the palette it is drawn on.

One light and one dark set, each measured (WCAG 2 contrast) against the backgrounds it
is drawn on: at least 3:1 for graphics (state icons, the uptime bar, the sparkline) and
4.5:1 for text (error lines). `tests/gui/test_palette.py` computes every pair. A theme
with other backgrounds than the reference ones still gets readable colours: a colour
that falls short on the actual background is moved away from it in lightness until it
passes, so the ratios hold by construction, not by luck."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from traywatch.core.health import TrayState
from traywatch.core.model import Severity

GRAPHICS = 3.0  # WCAG 2.1 SC 1.4.11, non-text contrast
TEXT = 4.5  # WCAG 2.1 SC 1.4.3, normal text (AA)


def luminance(colour: str) -> float:
    """WCAG relative luminance of "#rrggbb"."""
    value = QColor(colour)

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(value.redF())
        + 0.7152 * linear(value.greenF())
        + 0.0722 * linear(value.blueF())
    )


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    a, b = luminance(one), luminance(other)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


@lru_cache(maxsize=256)
def ensure_contrast(colour: str, background: str, minimum: float) -> str:
    """`colour`, or the nearest shade of it (same hue) that reaches `minimum` against
    `background`: darker on a light background, lighter on a dark one."""
    if contrast(colour, background) >= minimum:
        return colour
    towards_dark = luminance(background) > 0.18
    shade = QColor(colour).toHsl()
    hue, saturation, lightness = shade.hslHue(), shade.hslSaturation(), shade.lightness()
    while 0 < lightness < 255:
        lightness += -3 if towards_dark else 3
        candidate = QColor.fromHsl(hue, saturation, max(0, min(255, lightness))).name()
        if contrast(candidate, background) >= minimum:
            return candidate
    return "#000000" if towards_dark else "#ffffff"


@dataclass(frozen=True, slots=True)
class Scheme:
    """One set of colours, with the backgrounds it was measured against."""

    name: str
    backgrounds: tuple[str, ...]  # window, base, alternate base, button: what we draw on
    states: dict[TrayState, str]  # graphics: state icons, uptime bar, menu icons
    on_state_light: str  # a glyph drawn on a state's fill, when the fill is dark
    on_state_dark: str  # ... when the fill is light
    attention: str  # the incidents badge (graphics)
    attention_on_red: str  # the badge on a red or orange icon: not red on red
    error_text: str  # "Could not check: …", field errors (text)
    unobserved: str  # hatching of time nobody watched (graphics)
    line: str  # the latency sparkline (graphics)
    outline: str  # a tick box's frame (graphics): Fusion's own is all but invisible

    def glyph_on(self, fill: str) -> str:
        """The glyph colour (tick, cross, "!") that stands out on `fill`."""
        light, dark = self.on_state_light, self.on_state_dark
        return light if contrast(light, fill) >= contrast(dark, fill) else dark

    def badge_for(self, state: TrayState) -> str:
        reddish = state in (TrayState.MAJOR_OUTAGE, TrayState.PARTIAL_OUTAGE)
        return self.attention_on_red if reddish else self.attention


LIGHT = Scheme(
    name="light",
    backgrounds=("#efefef", "#ffffff", "#f7f7f7", "#f6f5f4", "#fafafa"),
    states={
        TrayState.OPERATIONAL: "#1f8a55",
        TrayState.MAINTENANCE: "#1c71d8",
        TrayState.DEGRADED: "#9c6e00",
        TrayState.PARTIAL_OUTAGE: "#c44800",
        TrayState.MAJOR_OUTAGE: "#c01c28",
        TrayState.UNKNOWN: "#737277",
        TrayState.OFFLINE: "#737277",
    },
    on_state_light="#ffffff",
    on_state_dark="#241f31",
    attention="#c01c28",
    attention_on_red="#000000",
    error_text="#b01b25",
    unobserved="#7a7a7a",
    line="#1c71d8",
    outline="#767676",
)

DARK = Scheme(
    name="dark",
    backgrounds=("#242424", "#1e1e1e", "#2a2a2a", "#303030", "#353535"),
    states={
        TrayState.OPERATIONAL: "#33d17a",
        TrayState.MAINTENANCE: "#62a0ea",
        TrayState.DEGRADED: "#f5c211",
        TrayState.PARTIAL_OUTAGE: "#e66100",
        TrayState.MAJOR_OUTAGE: "#f66151",
        TrayState.UNKNOWN: "#9a9996",
        TrayState.OFFLINE: "#9a9996",
    },
    on_state_light="#ffffff",
    on_state_dark="#1a1a1a",
    attention="#ff7b63",
    attention_on_red="#ffffff",
    error_text="#ff7b63",
    unobserved="#8a8a8a",
    line="#62a0ea",
    outline="#8a8a8a",
)


def is_dark(palette: QPalette) -> bool:
    window = palette.color(QPalette.ColorRole.Window).name()
    return luminance(window) < 0.18


def scheme_of(palette: QPalette | None = None) -> Scheme:
    return DARK if is_dark(palette or QGuiApplication.palette()) else LIGHT


def backgrounds(palette: QPalette | None = None) -> tuple[str, ...]:
    """What we draw on: the window, and the lists' two row colours."""
    used = palette or QGuiApplication.palette()
    roles = (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)
    return tuple(dict.fromkeys(used.color(role).name() for role in roles))


def readable(colour: str, palette: QPalette | None, minimum: float) -> str:
    """`colour`, shaded where needed to reach `minimum` on each of the palette's
    backgrounds."""
    for back in backgrounds(palette):
        colour = ensure_contrast(colour, back, minimum)
    return colour


def state_colour(state: TrayState, palette: QPalette | None = None) -> str:
    """A state's fill for graphics: icons, the uptime bar."""
    return readable(scheme_of(palette).states[state], palette, GRAPHICS)


def severity_colour(severity: Severity, palette: QPalette | None = None) -> str:
    return state_colour(TrayState.of(severity), palette)


def error_text(palette: QPalette | None = None) -> str:
    return readable(scheme_of(palette).error_text, palette, TEXT)


def error_style(palette: QPalette | None = None) -> str:
    """A style sheet for a label that says what is wrong."""
    return f"color: {error_text(palette)};"


def unobserved(palette: QPalette | None = None) -> str:
    return readable(scheme_of(palette).unobserved, palette, GRAPHICS)


def line(palette: QPalette | None = None) -> str:
    return readable(scheme_of(palette).line, palette, GRAPHICS)


def outline(palette: QPalette | None = None) -> str:
    return readable(scheme_of(palette).outline, palette, GRAPHICS)
