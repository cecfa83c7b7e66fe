"""The uptime bar: the last 24 h / 7 d / 30 d coloured by state, where people would
rather look than read. Time traywatch did not observe is hatched and claims nothing;
ticks under the bar say when; hovering a stretch says what it was (and which incident),
clicking it selects the incident."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from traywatch.core.health import COULD_NOT_CHECK
from traywatch.core.model import Incident, Severity
from traywatch.core.uptime import Segment, duration_text
from traywatch.store.history import SeenIncident
from traywatch.ui import palette as colours

BAR_HEIGHT = 22
NOT_OBSERVED = "Not observed"


def segment_label(segment: Segment) -> str:
    if not segment.observed:
        return NOT_OBSERVED
    if segment.severity is Severity.UNKNOWN:
        return COULD_NOT_CHECK
    return segment.severity.label


def when(moment: datetime, now: datetime) -> str:
    """ "14:02" today, "Tue 12 Nov 14:02" on another day (local time)."""
    local = moment.astimezone()
    if local.date() == now.astimezone().date():
        return f"{local:%H:%M}"
    return f"{local:%a %d %b %H:%M}"


def legend_html(parts: Sequence[Segment], palette: QPalette | None = None) -> str:
    """A key to the colours of what the bar shows, in the bar's order of severity."""
    shown: dict[str, str] = {}
    for part in sorted(parts, key=lambda p: (p.observed, p.severity), reverse=True):
        label = segment_label(part)
        if label in shown:
            continue
        if not part.observed:
            shown[label] = colours.unobserved(palette)
        else:
            shown[label] = colours.severity_colour(part.severity, palette)
    keys = [
        f'<span style="color:{colour}">{"▨" if label == NOT_OBSERVED else "■"}</span>'
        f"&nbsp;{html.escape(label)}"
        for label, colour in shown.items()
    ]
    return " &nbsp; ".join(keys)


class TimelineBar(QWidget):
    incident_clicked = Signal(str)  # an incident's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._segments: list[Segment] = []
        self._incidents: list[SeenIncident] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())
        self.setAccessibleName("Uptime bar")

    def sizeHint(self) -> QSize:
        return QSize(400, BAR_HEIGHT + 4 + self.fontMetrics().height())

    def set_segments(
        self, segments: Sequence[Segment], description: str, incidents: Sequence[SeenIncident] = ()
    ) -> None:
        self._segments = list(segments)
        self._incidents = list(incidents)
        self.setAccessibleDescription(description)
        self.update()

    # -- what is where -------------------------------------------------------------------

    def _span(self) -> tuple[datetime, datetime] | None:
        if not self._segments:
            return None
        return self._segments[0].start, self._segments[-1].end

    def _bar(self) -> QRectF:
        return QRectF(0.5, 0.5, self.width() - 1.0, BAR_HEIGHT - 1.0)

    def _x(self, moment: datetime) -> float:
        span = self._span()
        assert span is not None
        bar = self._bar()
        total = (span[1] - span[0]).total_seconds() or 1.0
        return bar.left() + bar.width() * (moment - span[0]).total_seconds() / total

    def segment_at(self, x: float) -> Segment | None:
        span = self._span()
        if span is None:
            return None
        bar = self._bar()
        share = min(max((x - bar.left()) / (bar.width() or 1.0), 0.0), 1.0)
        moment = span[0] + (span[1] - span[0]) * share
        for segment in self._segments:
            if segment.start <= moment < segment.end:
                return segment
        return self._segments[-1]

    def incident_during(self, segment: Segment) -> Incident | None:
        """The worst incident open during the stretch (the latest among equals)."""
        during = [
            seen.incident
            for seen in self._incidents
            if seen.first_seen < segment.end and seen.last_seen >= segment.start
        ]
        return max(during, key=lambda i: (i.severity, i.started_at or segment.start), default=None)

    def describe(self, segment: Segment, now: datetime | None = None) -> str:
        """The hover text: state, from and to, and the incident of that time."""
        now = now or datetime.now(segment.end.tzinfo)
        lines = [
            segment_label(segment),
            f"{when(segment.start, now)} to {when(segment.end, now)}"
            f" ({duration_text(segment.duration)})",
        ]
        if not segment.observed:
            lines.append("traywatch was not running, or the computer was asleep")
        incident = self.incident_during(segment) if segment.observed else None
        if incident is not None:
            lines.append(f"Incident: {incident.title}")
            lines.append("Click to show it")
        return "\n".join(lines)

    # -- events ----------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        segment = self.segment_at(event.position().x())
        if segment is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), self.describe(segment), self)
        incident = self.incident_during(segment) if segment.observed else None
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if incident else Qt.CursorShape.ArrowCursor
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        segment = self.segment_at(event.position().x())
        incident = self.incident_during(segment) if segment and segment.observed else None
        if incident is not None and event.button() is Qt.MouseButton.LeftButton:
            self.incident_clicked.emit(incident.id)

    # -- drawing ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        bar = self._bar()
        outline = QColor(colours.unobserved(palette))
        painter.setPen(Qt.PenStyle.NoPen)
        for segment in self._segments:
            left, right = self._x(segment.start), self._x(segment.end)
            area = QRectF(left, bar.top(), max(1.0, right - left), bar.height())
            if segment.observed:
                fill = colours.severity_colour(segment.severity, palette)
                painter.fillRect(area, QColor(fill))
            else:
                painter.fillRect(area, palette.color(QPalette.ColorRole.Window))
                painter.fillRect(area, QBrush(outline, Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(outline, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(bar)
        self._draw_ticks(painter, bar)
        painter.end()

    def _draw_ticks(self, painter: QPainter, bar: QRectF) -> None:
        span = self._span()
        if span is None:
            return
        text = self.palette().color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        painter.setPen(QPen(text, 1.0))
        last_right = -1e9
        for moment, label in ticks(span[0], span[1]):
            x = self._x(moment)
            painter.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 4))
            width = metrics.horizontalAdvance(label)
            left = min(max(x - width / 2, 0.0), self.width() - width)
            if left < last_right + 8:
                continue  # no room: the tick stays, its label goes
            painter.drawText(QPointF(left, bar.bottom() + 4 + metrics.ascent()), label)
            last_right = left + width


def ticks(start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """Round moments inside [start, end) with their labels, in local time: every 3 h
    over a day, every midnight over a week, every Monday over a month."""
    local_start = start.astimezone()
    span = end - start
    out: list[tuple[datetime, str]] = []
    if span <= timedelta(days=1, hours=1):
        moment = local_start.replace(minute=0, second=0, microsecond=0)
        moment += timedelta(hours=(3 - moment.hour % 3) % 3 or 3)
        while moment < end:
            out.append((moment, f"{moment:%H:%M}"))
            moment = (moment + timedelta(hours=3, minutes=30)).replace(minute=0)
        return out
    midnight = local_start.replace(hour=0, minute=0, second=0, microsecond=0)
    moment = (midnight + timedelta(days=1, hours=12)).replace(hour=0)
    weekly = span > timedelta(days=8)
    while moment < end:
        if not weekly:
            out.append((moment, f"{moment:%a %d}"))
        elif moment.weekday() == 0:
            out.append((moment, f"{moment:%d %b}"))
        moment = (moment + timedelta(days=1, hours=12)).replace(hour=0)
    return out
