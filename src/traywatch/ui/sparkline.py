"""An endpoint's latency over its last checks, as a small line: is it getting slower?
Checks that failed are marked under the line in the outage colour; the "slow" threshold
(`degraded_after`) is a dashed line."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from traywatch.core.model import Severity
from traywatch.store.history import Response
from traywatch.ui import palette as colours

HEIGHT = 44


def latency_text(seconds: float) -> str:
    """ "210 ms", "1.8 s", "1 s"."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f}".rstrip("0").rstrip(".") + " s"


def summary(samples: Sequence[Response]) -> str:
    """ "Last 40 checks: median 210 ms, slowest 1.80 s, 2 failed"."""
    if not samples:
        return "No checks recorded yet"
    answered = [s.seconds for s in samples if s.seconds is not None]
    failed = sum(1 for s in samples if s.severity >= Severity.PARTIAL_OUTAGE)
    said = []
    if answered:
        median, slowest = statistics.median(answered), max(answered)
        said.append(f"median {latency_text(median)}, slowest {latency_text(slowest)}")
    if failed:
        said.append(f"{failed} failed (marked below)")
    return f"Last {len(samples)} checks" + (": " + ", ".join(said) if said else "")


class LatencySparkline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._samples: list[Response] = []
        self._threshold: float | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(HEIGHT)
        self.setAccessibleName("Latency of the last checks")

    def sizeHint(self) -> QSize:
        return QSize(300, HEIGHT)

    def set_samples(self, samples: Sequence[Response], threshold: float | None = None) -> None:
        self._samples = list(samples)
        self._threshold = threshold
        self.setAccessibleDescription(summary(self._samples))
        self.update()

    def _scale(self) -> float:
        answered = [s.seconds for s in self._samples if s.seconds is not None]
        top = max(answered, default=0.0)
        if self._threshold is not None:
            top = max(top, self._threshold * 1.2)
        return top or 1.0

    def _plot(self) -> QRectF:
        return QRectF(1.0, 2.0, self.width() - 2.0, self.height() - 10.0)

    def _x(self, index: int) -> float:
        plot = self._plot()
        count = max(len(self._samples) - 1, 1)
        return plot.left() + plot.width() * index / count

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        plot = self._plot()
        scale = self._scale()
        painter.setPen(QPen(QColor(colours.unobserved(palette)), 1.0))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        if self._threshold is not None:
            y = plot.bottom() - plot.height() * min(self._threshold / scale, 1.0)
            dashed = QPen(QColor(colours.severity_colour(Severity.DEGRADED, palette)), 1.0)
            dashed.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(dashed)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        path = QPainterPath()
        drawing = False
        for index, sample in enumerate(self._samples):
            if sample.seconds is None:
                drawing = False  # no answer: a gap in the line
                continue
            point = QPointF(self._x(index), plot.bottom() - plot.height() * sample.seconds / scale)
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        painter.setPen(QPen(QColor(colours.line(palette)), 1.6))
        painter.drawPath(path)
        failed = QColor(colours.severity_colour(Severity.MAJOR_OUTAGE, palette))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(failed)
        for index, sample in enumerate(self._samples):
            if sample.severity >= Severity.PARTIAL_OUTAGE:
                painter.drawRect(QRectF(self._x(index) - 1.5, plot.bottom() + 2, 3.0, 6.0))
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._samples:
            return
        plot = self._plot()
        share = (event.position().x() - plot.left()) / (plot.width() or 1.0)
        index = round(min(max(share, 0.0), 1.0) * max(len(self._samples) - 1, 0))
        sample = self._samples[index]
        when = sample.at.astimezone().strftime("%d %b %H:%M:%S")
        QToolTip.showText(event.globalPosition().toPoint(), f"{when}\n{sample.reason}", self)
