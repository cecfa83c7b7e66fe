"""The selected service, explained: its state and why, for an endpoint of the user's
whether the platform it runs on is the reason (and how fast it has been answering), for a
platform the user's endpoints on it, the uptime bar, incidents (newest first, older and
resolved ones folded) and components.

What is in memory (the views, the snapshots, the them-or-me answers) is shown at once;
what is in the store (the bar's history, earlier incidents, latency samples) is read off
the GUI thread and filled in when it arrives."""

from __future__ import annotations

import html
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QCursor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.health import CHECKING, ServiceView
from traywatch.core.model import Component, Incident, Severity, Snapshot
from traywatch.core.runs_on import Answer, PlatformReport, Verdict
from traywatch.core.uptime import describe_share, segments
from traywatch.monitor import Monitor
from traywatch.store.history import HistoryStore, Response, SeenIncident
from traywatch.store.reader import StoreReader
from traywatch.ui import palette as colours
from traywatch.ui.aio import Loads
from traywatch.ui.icons import severity_icon
from traywatch.ui.models import checked_text, next_check_text
from traywatch.ui.safe_text import SafeBrowser, ago, incident_html, maintenance_html
from traywatch.ui.sparkline import LatencySparkline, latency_text, summary
from traywatch.ui.timeline import TimelineBar, legend_html

PERIODS = {
    "24 hours": timedelta(days=1),
    "7 days": timedelta(days=7),
    "30 days": timedelta(days=30),
}
AUTO_PERIOD = "7 days"  # unless traywatch has observed the service for less than a day
SHOWN_IN_FULL = 2  # the newest active incidents shown whole; the others folded to a line
PAST_SHOWN = 3  # earlier incidents listed before "show N more"
SAMPLES = 60  # latency samples in the sparkline
LINK = "traywatch"  # the scheme of links that act inside the window

VERDICTS = {
    Verdict.THEM: "Probably them",
    Verdict.NOT_REPORTED: "Probably yours — so far",
    Verdict.UNCHECKED: "Can't tell yet",
    Verdict.OFFLINE: "Probably you",
    Verdict.YOUR_NETWORK: "Probably your network",
}
LATE_PAGES = (
    "Status pages often admit an outage late: traywatch keeps asking and tells you when it does."
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def icon_html(severity: Severity, size: int = 14) -> str:
    """A state's colour as a small square, for rich text (the icons are for widgets)."""
    colour = colours.severity_colour(severity)
    return f'<span style="color:{colour}; font-size:{size}px">■</span>'


@dataclass(frozen=True, slots=True)
class Stored:
    """What the store knows about the selected service for the chosen period."""

    name: str
    period: str
    changes: list[tuple[datetime, Severity]]
    observed: list[tuple[datetime, datetime]]
    incidents: list[SeenIncident]
    responses: list[Response]


class DetailsPane(QWidget):
    refresh_requested = Signal(str)
    open_url = Signal(str)
    service_clicked = Signal(str)  # a platform or endpoint named in the pane

    def __init__(
        self,
        monitor: Monitor,
        reader: StoreReader,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.reader = reader
        self.settings = settings
        self.loads = Loads()
        self.view: ServiceView | None = None
        self.stored: Stored | None = None
        self._seen_before: datetime | None = None
        self._shown_components: tuple[Component, ...] | None = None
        self._expanded: set[str] = set()  # incidents unfolded by the user
        self._more_past = False
        self._anchors: dict[str, str] = {}
        self._loaded_for: tuple[str, datetime | None] | None = None  # what the store was read for
        self._html = ""  # what the incidents pane shows
        self._build()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.state_icon = QLabel()
        self.state_icon.setFixedSize(32, 32)
        self.name = QLabel()
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.35)
        big.setBold(True)
        self.name.setFont(big)
        self.name.setAccessibleName("Selected service")
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_line = QLabel()
        self.state_line.setWordWrap(True)
        self.state_line.setTextFormat(Qt.TextFormat.PlainText)
        self.checked = QLabel()
        self.checked.setTextFormat(Qt.TextFormat.RichText)
        self.checked.setWordWrap(True)
        self.checked.linkActivated.connect(self.open_url.emit)
        refresh = QPushButton("Check now")
        refresh.setToolTip("Check this service again now")
        refresh.clicked.connect(self._refresh)
        header_text = QVBoxLayout()
        header_text.setSpacing(2)
        header_text.addWidget(self.name)
        header_text.addWidget(self.state_line)
        header_text.addWidget(self.checked)
        header = QHBoxLayout()
        header.addWidget(self.state_icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(header_text, 1)
        header.addWidget(refresh, 0, Qt.AlignmentFlag.AlignTop)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        self.problem.setAccessibleName("Why it could not be checked")

        self.relation = QLabel()  # them or me; the endpoints on a platform
        self.relation.setWordWrap(True)
        self.relation.setTextFormat(Qt.TextFormat.RichText)
        self.relation.setAccessibleName("Is it them or me")
        self.relation.linkActivated.connect(self._link)
        self.relation_card = QFrame()
        self.relation_card.setFrameShape(QFrame.Shape.StyledPanel)
        card = QHBoxLayout(self.relation_card)
        card.setContentsMargins(0, 0, 8, 0)
        self.relation_bar = QFrame()
        self.relation_bar.setFixedWidth(5)
        card.addWidget(self.relation_bar)
        card.addWidget(self.relation, 1)
        self.relation_card.setVisible(False)

        self.last_response = QLabel()
        self.last_response.setWordWrap(True)
        self.last_response.setAccessibleName("Last response")
        self.sparkline = LatencySparkline()
        self.latency = QLabel()
        self.latency.setWordWrap(True)  # never what decides the pane's width
        self.endpoint = QWidget()
        endpoint = QVBoxLayout(self.endpoint)
        endpoint.setContentsMargins(0, 0, 0, 0)
        endpoint.setSpacing(2)
        endpoint.addWidget(self.last_response)
        endpoint.addWidget(self.sparkline)
        endpoint.addWidget(self.latency)
        self.endpoint.setVisible(False)

        self.period = QComboBox()
        self.period.addItems(list(PERIODS))
        chosen = self.settings.value("details/period")
        self._period_auto = chosen not in PERIODS  # until the user picks one
        self.period.setCurrentText(str(chosen) if chosen in PERIODS else AUTO_PERIOD)
        self.period.setAccessibleName("Uptime period")
        self.period.setToolTip("The time the uptime bar shows")
        # the pane changes it only with its signals blocked: a change is the user's choice
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.share = QLabel()
        self.share.setWordWrap(True)
        self.timeline = TimelineBar()
        self.timeline.incident_clicked.connect(self.show_incident)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setToolTip(
            "Hatched: time traywatch did not observe (it was not running, or the computer "
            "slept). It counts for nothing in the share. Hover over the bar for each stretch."
        )
        self.legend.setWordWrap(True)
        uptime_row = QHBoxLayout()
        uptime_row.addWidget(QLabel("Uptime"))
        uptime_row.addWidget(self.period)
        uptime_row.addWidget(self.share, 1)

        self.incidents = SafeBrowser()
        self.incidents.setAccessibleName("Incidents and maintenance")
        self.incidents.link_activated.connect(self.open_url.emit)
        self.incidents.anchorClicked.connect(self._anchor)
        self.incidents.highlighted.connect(self._hovered)
        self.components = QTreeWidget()
        self.components.setHeaderLabels(["Component", "State"])
        self.components.setAccessibleName("Components")
        self.components.setRootIsDecorated(True)
        header_view = self.components.header()
        header_view.setStretchLastSection(False)
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header_view.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.incidents)
        self.splitter.addWidget(self.components)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.problem)
        layout.addWidget(self.relation_card)
        layout.addWidget(self.endpoint)
        layout.addLayout(uptime_row)
        layout.addWidget(self.timeline)
        layout.addWidget(self.legend)
        layout.addWidget(self.splitter, 1)
        self.restyle()

    def restyle(self) -> None:
        """Colours that come from the palette module, for the palette in use."""
        self.problem.setStyleSheet(colours.error_style(self.palette()))
        if self.view is not None:
            self.show_view(self.view)

    # -- showing a service -----------------------------------------------------------------

    def select(self, name: str | None) -> None:
        """Another service: what was unfolded is folded again; the store is read anew."""
        if self.view is not None and name == self.view.name:
            return
        self.mark_seen()
        self._expanded.clear()
        self._more_past = False
        self._loaded_for = None
        self.stored = None
        self._shown_components = None
        self._seen_before = self._last_seen(name) if name else None

    def show_view(self, view: ServiceView, views: list[ServiceView] | None = None) -> None:
        """What memory knows, at once; then the store is read for the rest (`views`: all
        of them, for a platform's endpoints). Called on every change the monitor reports:
        the store is read again only when this service was checked again."""
        changed = self.view is None or self.view.name != view.name
        self.view = view
        now = datetime.now(UTC)
        self.state_icon.setPixmap(severity_icon(view.severity).pixmap(32, 32))
        self.name.setText(view.name)
        state = view.label + (" (snoozed)" if view.snoozed else "")
        summary_text = view.summary if view.summary and view.summary != CHECKING else ""
        if view.them_or_me is not None and summary_text.endswith(view.them_or_me.text):
            summary_text = summary_text[: -len(view.them_or_me.text)].rstrip(" —")
        self.state_line.setText(f"{state} · {summary_text}" if summary_text else state)
        endpoint = self._is_endpoint(view.name)
        link_text = "open the address" if endpoint else "status page"
        when = ", ".join(t for t in (checked_text(view, now), next_check_text(view, now)) if t)
        self.checked.setText(
            f'<a href="{_e(view.url)}">{link_text}</a> · {_e(when[:1].upper() + when[1:])}'
        )
        self.checked.setToolTip(view.url)
        explanation = view.explanation(now)
        if self.monitor.offline:
            explanation = "You are offline: showing the last state that could be checked."
        self.problem.setText(explanation)
        self.problem.setVisible(bool(explanation))
        self._show_relation(view, views, now)
        self.endpoint.setVisible(endpoint)
        self.components.setVisible(not endpoint)  # an endpoint has none
        snapshot = self.monitor.snapshot(view.name)
        self._fill_components(snapshot.components if snapshot else ())
        self._show_incidents(snapshot, now)
        if self.stored is not None and self.stored.name == view.name:
            self._show_stored(self.stored, now)
        if changed:
            self.timeline.set_segments([], "")
            self.share.setText("")
            self.legend.setText("")
        if (view.name, view.checked_at) != self._loaded_for:
            self.load()

    def _is_endpoint(self, name: str) -> bool:
        return any(s.name == name and s.kind == "http" for s in self.monitor.services)

    # -- them or me ------------------------------------------------------------------------

    def _show_relation(
        self, view: ServiceView, views: list[ServiceView] | None, now: datetime
    ) -> None:
        text, severity = relation_html(self.monitor, view, views or self.monitor.views(), now)
        self.relation.setText(text)
        self.relation_card.setVisible(bool(text))
        colour = colours.severity_colour(severity, self.palette())
        self.relation_bar.setStyleSheet(f"background-color: {colour}; border: none;")

    def _link(self, target: str) -> None:
        prefix = f"{LINK}:service/"
        if target.startswith(prefix):
            self.service_clicked.emit(unquote(target.removeprefix(prefix)))
        elif target.lower().startswith(("https://", "http://")):
            self.open_url.emit(target)

    # -- the store's part ------------------------------------------------------------------

    def load(self) -> None:
        """Reads the bar's history, the period's incidents and the latency samples."""
        if self.view is None:
            return
        self._loaded_for = (self.view.name, self.view.checked_at)
        self.loads.start("details", self._load(self.view.name, self.period.currentText()))

    def _period_chosen(self, _index: int) -> None:
        self._period_auto = False
        self.settings.setValue("details/period", self.period.currentText())
        self.load()

    async def _load(self, name: str, period: str) -> None:
        now = datetime.now(UTC)
        wanted = None if self._period_auto else period
        endpoint = self._is_endpoint(name)
        try:  # one trip to the store's thread for all of it
            stored = await self.reader.call(read_stored, name, wanted, now, endpoint)
        except sqlite3.Error as exc:
            self.share.setText(f"The history could not be read: {exc}")
            return
        if self.view is None or self.view.name != name:
            return
        if stored.period != self.period.currentText():
            self.period.blockSignals(True)
            self.period.setCurrentText(stored.period)
            self.period.blockSignals(False)
        self.stored = stored
        self._show_stored(stored, now)
        self._show_incidents(self.monitor.snapshot(name), now)

    def _observing_now(
        self, name: str, observed: list[tuple[datetime, datetime]], now: datetime
    ) -> list[tuple[datetime, datetime]]:
        """The time since the last poll is observed too: traywatch is running and will
        poll again within the interval."""
        config = next((s for s in self.monitor.services if s.name == name), None)
        if not observed or config is None:
            return observed
        start, end = observed[-1]
        interval = timedelta(seconds=self.monitor.config.interval_for(config) * 3 + 60)
        if now - end <= interval:
            observed = [*observed[:-1], (start, now)]
        return observed

    def _show_stored(self, stored: Stored, now: datetime) -> None:
        start = now - PERIODS[stored.period]
        observed = self._observing_now(stored.name, stored.observed, now)
        parts = segments(stored.changes, start, now, observed)
        text = describe_share(parts, stored.period)
        self.share.setText(text)
        self.timeline.set_segments(parts, text, stored.incidents)
        self.legend.setText(legend_html(parts, self.palette()))
        if self._is_endpoint(stored.name):
            self._show_responses(stored.name, stored.responses, now)

    def _show_responses(self, name: str, responses: list[Response], now: datetime) -> None:
        config = next((s for s in self.monitor.services if s.name == name), None)
        threshold = config.degraded_after if config is not None else None
        self.sparkline.set_samples(responses, threshold)
        said = summary(responses)
        if threshold is not None and responses:
            said += f" · slow above {latency_text(threshold)} (dashed)"
        self.latency.setText(said)
        if not responses:
            self.last_response.setText("Last response: none recorded yet")
            return
        last = responses[-1]
        said = last.reason if last.seconds is None else response_text(last)
        self.last_response.setText(f"Last response: {said} · {ago(last.at, now)}")

    # -- incidents -------------------------------------------------------------------------

    def _show_incidents(self, snapshot: Snapshot | None, now: datetime) -> None:
        if self.view is not None and self._is_endpoint(self.view.name):
            self._render(self._platform_incidents(self.view.name, now))
            return
        if snapshot is None and not (self.stored and self.stored.incidents):
            self._render("<p>Nothing known yet.</p>")
            return
        active = sorted(
            snapshot.active_incidents if snapshot else (),
            key=lambda i: i.started_at or i.updated_at or now,
            reverse=True,
        )
        active_ids = {i.id for i in active}
        past = [
            seen.incident
            for seen in (self.stored.incidents if self.stored else [])
            if seen.incident.id not in active_ids
        ]
        self._anchors = {}
        parts: list[str] = []
        if active:
            parts.append(f"<h3>Active incidents ({len(active)})</h3>")
            for index, incident in enumerate(active):
                whole = index < SHOWN_IN_FULL or incident.id in self._expanded
                parts.append(self._full(incident, now) if whole else self._folded(incident, now))
        else:
            parts.append("<p>No active incident.</p>")
        if snapshot is not None and snapshot.maintenances:
            parts.append("<h3>Maintenance</h3>")
            parts += [maintenance_html(m) for m in snapshot.maintenances]
        if past:
            period = self.stored.period if self.stored else ""
            parts.append(f"<h3>Earlier, in the last {_e(period)} ({len(past)})</h3>")
            listed = past if self._more_past else past[:PAST_SHOWN]
            for incident in listed:
                if incident.id in self._expanded:
                    parts.append(self._full(incident, now))
                else:
                    parts.append(self._folded(incident, now))
            if len(past) > len(listed):
                parts.append(
                    f'<p><a href="{LINK}:more/past">Show {len(past) - len(listed)} more</a></p>'
                )
        self._render("".join(parts))

    def _render(self, text: str) -> None:
        """Laid out again only when it changed; where the reader was stays."""
        if text == self._html:
            return
        self._html = text
        scroll = self.incidents.verticalScrollBar().value()
        self.incidents.show_html(text)
        self.incidents.verticalScrollBar().setValue(scroll)

    def _platform_incidents(self, name: str, now: datetime) -> str:
        """An endpoint has no incidents of its own: what the platforms it runs on say."""
        answer = self.monitor.answers().get(name)
        reports = answer.reports if answer is not None else ()
        if not reports:
            return (
                "<p>No platform named for it to run on: when it fails, traywatch cannot "
                "say whether the platform is the reason.</p>"
            )
        parts = []
        for report in reports:
            platform = _e(report.dependency.platform)
            if report.incident is None:
                parts.append(f"<p>{_e(report.describe())}.</p>")
                parts.append(self._elsewhere(report, now))
                continue
            parts.append(f"<h3>What {platform} says</h3>")
            parts.append(incident_html(report.incident, now, None))
        return "".join(parts)

    def _elsewhere(self, report: PlatformReport, now: datetime) -> str:
        """A platform in trouble on another part than the endpoint's: said, so that its
        red row in the list is not read as the reason ("concerns Apps, not Data")."""
        part = report.dependency.component
        snapshot = self.monitor.snapshot(report.dependency.platform)
        if part is None or not report.checked or snapshot is None:
            return ""
        said = []
        for incident in snapshot.active_incidents:
            named = list(incident.components)
            where = ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else ""
            where = where or (named[0] if named else "other parts")
            said.append(
                f"<p>Its open incident “{_e(incident.title)}” ({_e(incident.severity.label)}, "
                f"{ago(incident.started_at, now)}) concerns {_e(where)}, not {_e(part)}.</p>"
            )
        return "".join(said)

    def _anchor_of(self, incident: Incident) -> str:
        anchor = self._anchors.setdefault(incident.id, f"incident{len(self._anchors)}")
        return anchor

    def _full(self, incident: Incident, now: datetime) -> str:
        anchor = self._anchor_of(incident)
        fold = f' <a href="{LINK}:fold/{anchor}">fold</a>' if incident.id in self._expanded else ""
        return f'<a name="{anchor}"></a>{incident_html(incident, now, self._seen_before)}{fold}'

    def _folded(self, incident: Incident, now: datetime) -> str:
        anchor = self._anchor_of(incident)
        state = "resolved" if incident.resolved else _e(incident.status)
        when = ago(incident.started_at, now)
        return (
            f'<p><a name="{anchor}"></a>▸ <a href="{LINK}:unfold/{anchor}">{_e(incident.title)}</a>'
            f" · {_e(incident.severity.label)} · {state} · {when}</p>"
        )

    def _hovered(self, url: QUrl) -> None:
        """A link's whole target, on hover: where a click would go (only http(s) goes)."""
        target = url.toString()
        if url.scheme() in ("http", "https"):
            QToolTip.showText(QCursor.pos(), target, self.incidents)
        else:
            QToolTip.hideText()

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() != LINK:
            return  # http(s) links are the browser's (SafeBrowser.link_activated)
        action, _, anchor = url.path().partition("/")
        ident = next((i for i, a in self._anchors.items() if a == anchor), None)
        if action == "more":
            self._more_past = True
        elif action == "unfold" and ident is not None:
            self._expanded.add(ident)
        elif action == "fold" and ident is not None:
            self._expanded.discard(ident)
        self._show_incidents(self._snapshot(), datetime.now(UTC))

    def _snapshot(self) -> Snapshot | None:
        return self.monitor.snapshot(self.view.name) if self.view else None

    def show_incident(self, incident_id: str) -> None:
        """Unfolds the incident and scrolls to it (a click on the bar, a notification)."""
        self._expanded.add(incident_id)
        self._more_past = True
        self._show_incidents(self._snapshot(), datetime.now(UTC))
        anchor = self._anchors.get(incident_id)
        if anchor is not None:
            self.incidents.scrollToAnchor(anchor)

    # -- components ------------------------------------------------------------------------

    def _fill_components(self, components: tuple[Component, ...]) -> None:
        # Rebuilt only when what it shows changed: the window refreshes on every poll.
        if components == self._shown_components:
            return
        self._shown_components = components
        self.components.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for component in components:
            parent: QTreeWidget | QTreeWidgetItem = self.components
            if component.group:
                if component.group not in groups:
                    groups[component.group] = QTreeWidgetItem(
                        self.components, [component.group, ""]
                    )
                parent = groups[component.group]
            item = QTreeWidgetItem(parent, [component.name, component.severity.label])
            item.setIcon(1, severity_icon(component.severity))
            item.setToolTip(0, component.name)
            if component.severity > Severity.OPERATIONAL and isinstance(parent, QTreeWidgetItem):
                parent.setExpanded(True)  # only what is not operational is open
                parent.setText(1, "affected")
        affected = sum(1 for c in components if c.severity > Severity.OPERATIONAL)
        self.components.setHeaderLabels(
            [f"Component ({affected} of {len(components)} affected)", "State"]
            if components
            else ["Component", "State"]
        )

    # -- seen ------------------------------------------------------------------------------

    def _last_seen(self, name: str) -> datetime | None:
        value = self.settings.value(f"seen/{name}")
        try:
            return datetime.fromisoformat(str(value)) if value else None
        except ValueError:
            return None

    def mark_seen(self) -> None:
        """Updates published before this moment are not NEW the next time."""
        if self.view is not None:
            self.settings.setValue(f"seen/{self.view.name}", datetime.now(UTC).isoformat())

    def _refresh(self) -> None:
        if self.view is not None:
            self.refresh_requested.emit(self.view.name)

    def close_down(self) -> None:
        self.mark_seen()
        self.loads.cancel()


def read_stored(
    store: HistoryStore, name: str, period: str | None, now: datetime, endpoint: bool
) -> Stored:
    """What the pane shows from the store (runs on the store's thread). `period` None:
    the one that fits how long traywatch has observed the service."""
    if period is None:
        period = fitting_period(store.first_observed(name), now)
    start = now - PERIODS[period]
    return Stored(
        name,
        period,
        store.changes_between(name, start, now),
        store.observed_between(name, start, now),
        store.incidents_between(name, start, now),
        store.responses(name, SAMPLES) if endpoint else [],
    )


def fitting_period(first_observed: datetime | None, now: datetime) -> str:
    """The bar's period until the user picks one: a day while traywatch has observed the
    service for less than a day (a week of "not observed" tells nothing), else a week."""
    if first_observed is None or now - first_observed < PERIODS["24 hours"]:
        return "24 hours"
    return AUTO_PERIOD


def response_text(response: Response) -> str:
    """ "HTTP 502 in 210 ms"."""
    assert response.seconds is not None
    status = f"HTTP {response.status}" if response.status is not None else response.reason
    said = f"{status} in {latency_text(response.seconds)}"
    if response.severity > Severity.OPERATIONAL and response.reason != status:
        said += f" — {response.reason}"
    return said


def relation_html(
    monitor: Monitor, view: ServiceView, views: list[ServiceView], now: datetime
) -> tuple[str, Severity]:
    """Them or me, for an endpoint; the user's endpoints on it, for a platform. Returns
    the rich text and the severity that colours the card."""
    answer = monitor.answers().get(view.name)
    if answer is not None:
        return endpoint_relation(monitor, view, answer, now)
    by_name = {v.name: v for v in views}
    mine = [by_name[name] for name in monitor.dependents(view.name) if name in by_name]
    if not mine:
        return "", Severity.UNKNOWN
    lines = [f"<b>Your endpoints on {_e(view.name)}</b>"]
    answers = monitor.answers()
    for endpoint in mine:
        said = answers.get(endpoint.name)
        reports = [r for r in said.reports if r.dependency.platform == view.name] if said else []
        parts = [r.dependency.component for r in reports if r.dependency.component]
        on = f" (on {_e(', '.join(parts))})" if parts else ""
        why = ""
        if said is not None and endpoint.severity >= Severity.DEGRADED:
            explains = any(r.in_trouble for r in reports) and said.verdict is Verdict.THEM
            why = f" · {'explained by' if explains else 'not explained by'} {_e(view.name)}"
        lines.append(
            f"{icon_html(endpoint.severity)} {_service_link(endpoint.name)}{on}"
            f" — {_e(endpoint.label)}{why}"
        )
    return "<br>".join(lines), max(v.severity for v in mine)


def endpoint_relation(
    monitor: Monitor, view: ServiceView, answer: Answer, now: datetime
) -> tuple[str, Severity]:
    lines = []
    verdict = VERDICTS.get(answer.verdict)
    if verdict is not None and answer.text:
        lines.append(
            f'<span style="font-size:large"><b>Is it them or me? {_e(verdict)}.</b></span>'
        )
        lines.append(f"{_e(answer.text)}.")
        if answer.verdict is Verdict.NOT_REPORTED:
            lines.append(f"<i>{_e(LATE_PAGES)}</i>")
    if len(answer.reports) == 1:
        lines.append(f"<b>Runs on</b> {_runs_on_line(answer.reports[0], now)}")
    elif answer.reports:
        runs_on = [_runs_on_line(report, now) for report in answer.reports]
        lines.append("<b>Runs on</b><br>" + "<br>".join(runs_on))
    elif view.severity >= Severity.DEGRADED:
        lines.append(
            "<b>Runs on:</b> nothing named. Name the platform it runs on in its settings "
            "(Runs on) and traywatch will say whether that platform explains a failure."
        )
    if not lines:
        return "", Severity.UNKNOWN
    troubled = [r.severity for r in answer.troubled] or [Severity.OPERATIONAL]
    colour = max(troubled) if answer.verdict is Verdict.THEM else Severity.UNKNOWN
    if answer.verdict is Verdict.NOTHING_TO_SAY:
        colour = view.severity if view.severity > Severity.UNKNOWN else Severity.OPERATIONAL
    return "<br>".join(lines), colour


def _runs_on_line(report: PlatformReport, now: datetime) -> str:
    """ "■ Heroku: Apps — Major outage · Increased error rates (since 14:02)"."""
    name = _service_link(report.dependency.platform)
    if report.dependency.component:
        name += f": {_e(report.dependency.component)}"
    if not report.checked:
        return f"{icon_html(Severity.UNKNOWN)} {name} — could not be checked"
    line = f"{icon_html(report.severity)} {name} — {_e(report.severity.label)}"
    if report.incident is not None:
        since = report.since
        when = f" (since {since.astimezone():%H:%M}, {ago(since, now)})" if since else ""
        line += f" · {_e(report.incident.title)}{when}"
    elif report.affected:
        line += f" · affecting {_e(', '.join(report.affected[:3]))}"
    return line


def _service_link(name: str) -> str:
    return f'<a href="{LINK}:service/{quote(name)}">{_e(name)}</a>'
