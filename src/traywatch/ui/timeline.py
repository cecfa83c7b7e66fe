"""A bar of the last 24 h / 7 d / 30 d coloured by severity: where people would
rather look than read."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from traywatch.core.health import TrayState
from traywatch.core.uptime import Segment
from traywatch.ui.icons import state_colour


class TimelineBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._segments: list[Segment] = []
        self.setMinimumHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Timeline of the service's state")

    def sizeHint(self) -> QSize:
        return QSize(400, 18)

    def set_segments(self, segments: Sequence[Segment], description: str) -> None:
        self._segments = list(segments)
        self.setToolTip(description)
        self.setAccessibleDescription(description)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().mid())
        painter.drawRoundedRect(area, 3, 3)
        if self._segments:
            start, end = self._segments[0].start, self._segments[-1].end
            span = (end - start).total_seconds() or 1.0
            for segment in self._segments:
                left = area.left() + area.width() * (segment.start - start).total_seconds() / span
                right = area.left() + area.width() * (segment.end - start).total_seconds() / span
                colour = (
                    self.palette().mid().color()
                    if segment.severity.value == "unknown"
                    else state_colour(TrayState.of(segment.severity))
                )
                painter.setBrush(QColor(colour))
                painter.drawRect(QRectF(left, area.top(), max(1.0, right - left), area.height()))
        painter.end()
