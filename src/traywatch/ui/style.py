"""Tick boxes that show on either palette.

Qt's Fusion style draws a check box's frame in the window colour made darker: about
1.9:1 on a white list, and all but invisible (1.1:1) on a dark one — an unticked
component in the picker could not be seen to be tickable. Under Fusion, the frame is
drawn again in a grey measured for graphics (3:1) on the palette's backgrounds. Other
styles (a desktop's own) are left as they are."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from traywatch.ui.palette import outline

_FRAMED = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
)


class ReadableTicks(QProxyStyle):
    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in _FRAMED:
            painter.save()
            painter.setPen(QColor(outline(option.palette)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()


def readable_ticks() -> None:
    """Put the Fusion style's tick boxes in a measured frame (once; only under Fusion)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    style = app.style()
    if isinstance(style, ReadableTicks) or style.name().casefold() != "fusion":
        return
    app.setStyle(ReadableTicks("fusion"))
