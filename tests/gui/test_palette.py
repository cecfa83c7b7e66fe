"""Every colour traywatch draws with, measured: WCAG contrast at least 3:1 for graphics and
4.5:1 for text, on the light and the dark palette (and on themes with other backgrounds)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from tests.gui.window_support import palette_for
from traywatch.core.health import TrayState
from traywatch.core.model import Severity
from traywatch.ui import palette as colours
from traywatch.ui.icons import state_icon


def test_contrast_is_computed_as_wcag_defines_it() -> None:
    assert colours.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert colours.contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert colours.contrast("#777777", "#777777") == pytest.approx(1.0)
    # the figures the WCAG examples and common checkers give
    assert colours.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert colours.contrast("#c01c28", "#242424") == pytest.approx(2.54, abs=0.01)  # issue 13
    assert colours.luminance("#ffffff") == pytest.approx(1.0)
    assert colours.luminance("#808080") == pytest.approx(0.2159, abs=0.0001)


@pytest.mark.parametrize("scheme", [colours.LIGHT, colours.DARK], ids=["light", "dark"])
def test_every_colour_of_each_scheme_passes_on_its_backgrounds(scheme: colours.Scheme) -> None:
    """Measured as chosen, before any shading: the scheme is right as written."""
    failures = []
    for background in scheme.backgrounds:
        graphics = {
            **{f"state {s.value}": c for s, c in scheme.states.items()},
            "badge": scheme.attention,
            "badge on red": scheme.attention_on_red,
            "not observed": scheme.unobserved,
            "sparkline": scheme.line,
            "tick box frame": scheme.outline,
        }
        for name, colour in graphics.items():
            if colours.contrast(colour, background) < colours.GRAPHICS:
                failures.append(f"{name} {colour} on {background}")
        if colours.contrast(scheme.error_text, background) < colours.TEXT:
            failures.append(f"error text {scheme.error_text} on {background}")
    for state, fill in scheme.states.items():
        glyph = scheme.glyph_on(fill)
        if colours.contrast(glyph, fill) < colours.GRAPHICS:
            failures.append(f"glyph {glyph} on {state.value} {fill}")
        badge = scheme.badge_for(state)
        if colours.contrast(scheme.glyph_on(badge), badge) < colours.GRAPHICS:
            failures.append(f"badge glyph on {badge}")
    assert failures == []


def test_the_incidents_badge_is_never_red_on_a_red_icon() -> None:
    for scheme in (colours.LIGHT, colours.DARK):
        for state in (TrayState.MAJOR_OUTAGE, TrayState.PARTIAL_OUTAGE):
            badge = scheme.badge_for(state)
            assert colours.contrast(badge, scheme.states[state]) >= colours.GRAPHICS, state
        assert scheme.badge_for(TrayState.DEGRADED) == scheme.attention


@pytest.mark.parametrize(
    "backgrounds",
    [
        ("#eff0f1", "#fcfcfc"),  # Breeze
        ("#31363b", "#232629"),  # Breeze dark
        ("#d6d2d0", "#ffffff"),  # a greyer light theme
        ("#3c3c3c", "#2b2b2b"),  # a lighter dark theme
        ("#5a5a5a", "#505050"),  # a mid-grey theme, between the two schemes
    ],
)
def test_any_theme_gets_readable_colours(backgrounds: tuple[str, str], qapp: QApplication) -> None:
    palette = QPalette(qapp.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor(backgrounds[0]))
    palette.setColor(QPalette.ColorRole.Base, QColor(backgrounds[1]))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(backgrounds[1]))
    for background in backgrounds:
        for state in TrayState:
            fill = colours.state_colour(state, palette)
            assert colours.contrast(fill, background) >= colours.GRAPHICS, (state, background)
        for graphic in (colours.unobserved(palette), colours.line(palette)):
            assert colours.contrast(graphic, background) >= colours.GRAPHICS
        assert colours.contrast(colours.error_text(palette), background) >= colours.TEXT


def test_a_colour_short_of_contrast_is_shaded_until_it_passes() -> None:
    shaded = colours.ensure_contrast("#f5c211", "#ffffff", colours.GRAPHICS)
    assert shaded != "#f5c211"
    assert colours.contrast(shaded, "#ffffff") >= colours.GRAPHICS
    hue = QColor("#f5c211").hslHue()
    assert abs(QColor(shaded).hslHue() - hue) <= 2  # still amber, only darker
    assert colours.ensure_contrast("#1c71d8", "#ffffff", colours.GRAPHICS) == "#1c71d8"
    lighter = colours.ensure_contrast("#c01c28", "#242424", colours.TEXT)
    assert colours.contrast(lighter, "#242424") >= colours.TEXT


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_menu_icons_are_drawn_in_the_schemes_colours(scheme: str, qapp: QApplication) -> None:
    """The state icons of the menus and lists, measured where it matters: their fill
    against the palette's background."""
    palette = palette_for(scheme, qapp)
    background = palette.color(QPalette.ColorRole.Window).name()
    for severity in (Severity.OPERATIONAL, Severity.DEGRADED, Severity.MAJOR_OUTAGE):
        state = TrayState.of(severity)
        image = state_icon(state, palette=palette).pixmap(32, 32).toImage()
        fill = _dominant_colour(image)
        assert fill == colours.state_colour(state, palette), severity
        assert colours.contrast(fill, background) >= colours.GRAPHICS


def _dominant_colour(image: QImage) -> str:
    counts: dict[str, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255:
                counts[pixel.name()] = counts.get(pixel.name(), 0) + 1
    return max(counts, key=lambda name: counts[name])


def test_colours_come_only_from_the_palette_module() -> None:
    """A colour written into a widget (a style sheet's "#c01c28") was measured on nothing:
    every colour the UI draws with is chosen in ui/palette.py."""
    import re
    from pathlib import Path

    ui = Path(colours.__file__).parent
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
    written = [
        f"{path.name}:{number}: {text.strip()}"
        for path in sorted(ui.glob("*.py"))
        if path.name != "palette.py"
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if hex_colour.search(text)
    ]
    assert written == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_error_lines_are_readable_on_either_palette_and_follow_a_change(
    scheme: str, qapp: QApplication
) -> None:
    from traywatch.ui.schema_form import ErrorLabel

    before = QPalette(qapp.palette())
    other = "light" if scheme == "dark" else "dark"
    try:
        qapp.setPalette(palette_for(scheme, qapp))
        label = ErrorLabel("Another service is already called 'GitHub'")
        window = qapp.palette().color(QPalette.ColorRole.Window).name()
        shown = label.palette().color(QPalette.ColorRole.WindowText)
        label.ensurePolished()
        shown = label.palette().color(QPalette.ColorRole.WindowText).name()
        assert shown == colours.error_text(qapp.palette())
        assert colours.contrast(shown, window) >= colours.TEXT
        qapp.setPalette(palette_for(other, qapp))  # the desktop switched while it is shown
        qapp.processEvents()
        label.ensurePolished()
        now = label.palette().color(QPalette.ColorRole.WindowText).name()
        window = qapp.palette().color(QPalette.ColorRole.Window).name()
        assert now == colours.error_text(qapp.palette())
        assert colours.contrast(now, window) >= colours.TEXT
        label.set_as_error(False)  # an ordinary message: the palette's own text colour
        label.ensurePolished()
        assert label.palette().color(QPalette.ColorRole.WindowText) == qapp.palette().color(
            QPalette.ColorRole.WindowText
        )
        label.deleteLater()
    finally:
        qapp.setPalette(before)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_unticked_box_can_be_seen_on_either_palette(scheme: str, qapp: QApplication) -> None:
    """Fusion frames a tick box in the window colour made darker: 1.1:1 on a dark list,
    an unticked component looked like a plain line. Measured in the drawn pixels."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

    from traywatch.ui.check_tree import CheckTree

    before_palette, before_style = QPalette(qapp.palette()), qapp.style().name()
    try:
        qapp.setStyle("Fusion")
        qapp.setPalette(palette_for(scheme, qapp))
        CheckTree(lambda _tree: "").deleteLater()  # a picker made: the ticks made readable
        tree = QTreeWidget()
        tree.setHeaderHidden(True)
        item = QTreeWidgetItem(["Tools"])
        item.setCheckState(0, Qt.CheckState.Unchecked)
        tree.addTopLevelItem(item)
        tree.resize(200, 60)
        tree.show()
        qapp.processEvents()
        image = tree.viewport().grab().toImage()
        base = tree.palette().color(QPalette.ColorRole.Base).name()
        box = tree.visualItemRect(item)
        drawn = {
            QColor(image.pixel(x, y)).name()
            for x in range(box.left(), box.left() + box.height() + 8)
            for y in range(box.top(), box.bottom())
        }
        best = max(colours.contrast(colour, base) for colour in drawn)
        assert best >= colours.GRAPHICS, (scheme, sorted(drawn))
        tree.deleteLater()
    finally:
        qapp.setStyle(before_style)
        qapp.setPalette(before_palette)
