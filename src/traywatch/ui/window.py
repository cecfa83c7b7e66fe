"""The main window: what exactly is broken, since when, what did they say, is it
getting better, and what happened yesterday."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QByteArray, QDate, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.health import ServiceView
from traywatch.core.model import Severity
from traywatch.core.uptime import describe_share, segments
from traywatch.monitor import Monitor
from traywatch.store.history import HistoryQuery
from traywatch.ui.icons import severity_icon
from traywatch.ui.models import HistoryModel, ServicesFilter, ServicesModel
from traywatch.ui.safe_text import SafeBrowser, ago, details_html
from traywatch.ui.timeline import TimelineBar

PERIODS = {
    "24 hours": timedelta(days=1),
    "7 days": timedelta(days=7),
    "30 days": timedelta(days=30),
}


def relative(moment: datetime | None, now: datetime) -> str:
    return ago(moment, now) if moment is not None else "never"


class MainWindow(QMainWindow):
    refresh_requested = Signal(object)  # a service's name, or None for all
    open_url = Signal(str)

    def __init__(self, monitor: Monitor, settings: QSettings | None = None) -> None:
        super().__init__()
        self.monitor = monitor
        self.settings = settings or QSettings("traywatch", "traywatch")
        self.setWindowTitle("traywatch")
        self.setMinimumSize(760, 420)
        self._selected: str | None = None
        self._shown_components: tuple[object, ...] | None = None
        self._seen_before: datetime | None = None

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.notice.setAccessibleName("Notice")

        self.filter_text = QLineEdit()
        self.filter_text.setPlaceholderText("Filter services")
        self.filter_text.setAccessibleName("Filter services by name or summary")
        self.filter_state = QComboBox()
        self.filter_state.setAccessibleName("Filter services by state")
        self.filter_state.addItem("All states", None)
        for severity in sorted(Severity, reverse=True):
            self.filter_state.addItem(severity_icon(severity), severity.label, severity)
        refresh_all = QPushButton("Refresh all")
        refresh_all.clicked.connect(lambda: self.refresh_requested.emit(None))

        self.model = ServicesModel()
        self.proxy = ServicesFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setAccessibleName("Watched services")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # worst first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        # Fixed widths, not "resize to contents", which asks every row (measured: 0.3 s).
        header = self.table.horizontalHeader()
        self.table.setWordWrap(False)
        for column, width in enumerate((145, 110, 0, 90, 80)):
            if width:
                self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.filter_text.textChanged.connect(self.proxy.set_text)
        self.filter_state.currentIndexChanged.connect(
            lambda _i: self.proxy.set_severity(self.filter_state.currentData())
        )

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_text, 1)
        filters.addWidget(self.filter_state)
        filters.addWidget(refresh_all)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._details_page(), "Details")
        self.tabs.addTab(self._history_page(), "History")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 4)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(body)
        self._restore()
        self.ticker = QTimer(self)  # "2 min ago" moves on while the window is open
        self.ticker.setInterval(30_000)
        self.ticker.timeout.connect(self.refresh)

    # -- details -----------------------------------------------------------------------------

    def _details_page(self) -> QWidget:
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setOpenExternalLinks(False)
        self.title.linkActivated.connect(self.open_url.emit)
        self.title.setAccessibleName("Selected service")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c01c28;")
        self.problem.setVisible(False)
        self.relation = QLabel()
        self.relation.setWordWrap(True)
        self.relation.setAccessibleName("Is it them or me")
        self.relation.setVisible(False)
        self.period = QComboBox()
        self.period.addItems(list(PERIODS))
        self.period.setCurrentText("7 days")
        self.period.setAccessibleName("Timeline period")
        self.period.currentIndexChanged.connect(lambda _i: self._show_selected())
        self.timeline = TimelineBar()
        self.share = QLabel()
        timeline_row = QHBoxLayout()
        timeline_row.addWidget(self.period)
        timeline_row.addWidget(self.timeline, 1)
        timeline_row.addWidget(self.share)
        self.components = QTreeWidget()
        self.components.setHeaderLabels(["Component", "State"])
        self.components.setAccessibleName("Components")
        self.components.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.components.header().setStretchLastSection(False)
        self.components.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.incidents = SafeBrowser()
        self.incidents.setAccessibleName("Incidents and maintenance")
        self.incidents.link_activated.connect(self.open_url.emit)
        refresh_one = QPushButton("Refresh this service")
        refresh_one.clicked.connect(self._refresh_selected)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.incidents)
        splitter.addWidget(self.components)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.details_splitter = splitter
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(refresh_one)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addWidget(self.relation)
        layout.addLayout(timeline_row)
        layout.addWidget(splitter, 1)
        return page

    def _refresh_selected(self) -> None:
        if self._selected:
            self.refresh_requested.emit(self._selected)

    def _show_selected(self) -> None:
        index = self.table.currentIndex()
        name = self.proxy.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None
        if name != self._selected:
            self._mark_seen(self._selected)
            self._selected = name
            self._seen_before = self._last_seen(name) if name else None
        if not name:
            return
        view = next((v for v in self.model.views if v.name == name), None)
        if view is None:
            return
        now = datetime.now(UTC)
        stale = " (stale)" if view.stale else ""
        checked = relative(view.checked_at, now)
        self.title.setText(
            f"<b>{_escape(view.name)}</b> — {_escape(view.severity.label)}{stale} · "
            f'<a href="{_escape(view.url)}">status page</a> · checked {checked}'
        )
        explanation = view.explanation(now)
        if self.monitor.offline:
            explanation = "You are offline: showing the last state that could be checked."
        self.problem.setText(explanation)
        self.problem.setVisible(bool(explanation))
        relation = self._relation(view)
        self.relation.setText(relation)
        self.relation.setVisible(bool(relation))
        snapshot = self.monitor.snapshot(name)
        self._fill_components(snapshot.components if snapshot else ())
        self.incidents.show_html(
            details_html(snapshot, now, self._seen_before)
            if snapshot
            else "<p>Nothing known yet.</p>"
        )
        period = PERIODS[self.period.currentText()]
        parts = segments(
            self.monitor.store.changes_between(name, now - period, now), now - period, now
        )
        text = describe_share(parts, self.period.currentText())
        self.timeline.set_segments(parts, text)
        self.share.setText(text)

    def _relation(self, view: ServiceView) -> str:
        """Them or me: for an endpoint, what it runs on and whether that explains its
        state; for a platform, the user's endpoints that run on it."""
        answer = self.monitor.answers().get(view.name)
        if answer is not None:
            lines = [f"<b>Is it them or me?</b> {_escape(answer.text)}"] if answer.text else []
            runs_on = [
                _escape(f"{r.dependency} ({r.severity.label if r.checked else 'not checked'})")
                for r in answer.reports
            ]
            if runs_on:
                lines.append("Runs on: " + ", ".join(runs_on))
            return "<br>".join(lines)
        views = {v.name: v for v in self.model.views}
        mine = [
            f"{_escape(name)} ({_escape(views[name].severity.label)})"
            for name in self.monitor.dependents(view.name)
            if name in views
        ]
        return "Your endpoints on it: " + ", ".join(mine) if mine else ""

    def _fill_components(self, components: tuple[object, ...]) -> None:
        # Rebuilt only when what it shows changed: the window refreshes on every poll.
        if components == self._shown_components:
            return
        self._shown_components = components
        self.components.clear()
        groups: dict[str | None, QTreeWidgetItem] = {}
        for component in components:
            group = getattr(component, "group", None)
            severity = getattr(component, "severity", Severity.UNKNOWN)
            parent: QTreeWidget | QTreeWidgetItem = self.components
            if group:
                if group not in groups:
                    groups[group] = QTreeWidgetItem(self.components, [group, ""])
                parent = groups[group]
            item = QTreeWidgetItem(parent, [getattr(component, "name", "?"), severity.label])
            item.setIcon(1, severity_icon(severity))
            if severity > Severity.OPERATIONAL and isinstance(parent, QTreeWidgetItem):
                parent.setExpanded(True)  # only what is not operational is open
                parent.setText(1, "affected")

    def _last_seen(self, name: str) -> datetime | None:
        value = self.settings.value(f"seen/{name}")
        try:
            return datetime.fromisoformat(str(value)) if value else None
        except ValueError:
            return None

    def _mark_seen(self, name: str | None) -> None:
        if name:
            self.settings.setValue(f"seen/{name}", datetime.now(UTC).isoformat())

    # -- history -----------------------------------------------------------------------------

    def _history_page(self) -> QWidget:
        self.history = HistoryModel(self.monitor.store)
        self.history_service = QComboBox()
        self.history_service.setAccessibleName("History: service")
        self.history_service.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.history_severity = QComboBox()
        self.history_severity.setAccessibleName("History: at least this severity")
        self.history_severity.addItem("Any severity", None)
        for severity in sorted(Severity, reverse=True):
            if severity is not Severity.UNKNOWN:
                self.history_severity.addItem(f"{severity.label} or worse", severity)
        today = QDate.currentDate()
        self.history_since = QDateEdit(today.addDays(-30))
        self.history_until = QDateEdit(today)
        for edit, name in ((self.history_since, "from"), (self.history_until, "to")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(f"History {name}")
        self.history_search = QLineEdit()
        self.history_search.setPlaceholderText("Search")
        self.history_search.setAccessibleName("Search the history")
        self.history_table = QTableView()
        self.history_table.setAccessibleName("History")
        self.history_table.setModel(self.history)
        self.history_table.verticalHeader().setVisible(False)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        history_header = self.history_table.horizontalHeader()
        for column, width in enumerate((130, 120, 120, 130)):
            self.history_table.setColumnWidth(column, width)
        history_header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.history_count = QLabel()
        export_csv = QPushButton("Export CSV…")
        export_csv.clicked.connect(lambda: self._export("csv"))
        export_json = QPushButton("Export JSON…")
        export_json.clicked.connect(lambda: self._export("json"))
        clear = QPushButton("Clear history…")
        clear.clicked.connect(self._confirm_clear)
        for widget in (self.history_service, self.history_severity):
            widget.currentIndexChanged.connect(lambda _i: self.reload_history())
        for edit in (self.history_since, self.history_until):
            edit.dateChanged.connect(lambda _d: self.reload_history())
        self.history_search.textChanged.connect(lambda _t: self.reload_history())
        filters = QHBoxLayout()
        row: list[QWidget] = [
            self.history_service,
            self.history_severity,
            QLabel("from"),
            self.history_since,
            QLabel("to"),
            self.history_until,
        ]
        for item in row:
            filters.addWidget(item)
        filters.addWidget(self.history_search, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.history_count, 1)
        for button in (export_csv, export_json, clear):
            actions.addWidget(button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(filters)
        layout.addWidget(self.history_table, 1)
        layout.addLayout(actions)
        return page

    def history_query(self) -> HistoryQuery:
        def moment(date: QDate) -> datetime:
            local = datetime(date.year(), date.month(), date.day()).astimezone()
            return local.astimezone(UTC)

        return HistoryQuery(
            service=self.history_service.currentData(),
            min_severity=self.history_severity.currentData(),
            since=moment(self.history_since.date()),
            until=moment(self.history_until.date().addDays(1)),
            text=self.history_search.text(),
        )

    def reload_history(self) -> None:
        self.history.set_query(self.history_query())
        self.history_count.setText(f"{self.history.total} entries")

    def _fill_history_services(self) -> None:
        current = self.history_service.currentData()
        self.history_service.blockSignals(True)
        self.history_service.clear()
        self.history_service.addItem("All services", None)
        for name in sorted(
            {v.name for v in self.model.views} | set(self.monitor.store.history_services())
        ):
            self.history_service.addItem(name, name)
        self.history_service.setCurrentIndex(max(0, self.history_service.findData(current)))
        self.history_service.blockSignals(False)

    def _export(self, kind: str) -> None:
        dialog = QFileDialog(self, "Export history", f"traywatch-history.{kind}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda name: self.export_history(Path(name), kind))
        dialog.open()

    def export_history(self, path: Path, kind: str) -> int:
        """Every row of the current filter, not only those scrolled into view."""
        query = self.history_query()
        rows = []
        offset = 0
        while True:
            page = self.monitor.store.history_page(query, offset, 5000)
            if not page:
                break
            rows += page
            offset += len(page)
        records = [
            {
                "time": r.at.isoformat(),
                "service": r.service,
                "event": r.event,
                "severity": r.severity.value,
                "text": r.text,
            }
            for r in rows
        ]
        if kind == "json":
            path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(
                    handle, fieldnames=["time", "service", "event", "severity", "text"]
                )
                writer.writeheader()
                writer.writerows(records)
        return len(records)

    def _confirm_clear(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Clear history",
            "Delete every entry of the history? "
            "Notifications already sent are still never sent twice.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.accepted.connect(self.clear_history)
        box.open()

    def clear_history(self) -> None:
        self.monitor.store.clear_history()
        self.reload_history()

    # -- the whole window -------------------------------------------------------------------

    def refresh(self) -> None:
        views = self.monitor.views()
        self.model.set_views(views)
        if self.monitor.offline:
            self.show_notice("You are offline: showing the state from the last successful check.")
        elif self.monitor.config_problem:
            self.show_notice(
                f"The edited configuration was not applied: {self.monitor.config_problem}"
            )
        elif self.monitor.startup_notes:
            self.show_notice("\n".join(text for _title, text in self.monitor.startup_notes))
        elif self.notice.property("permanent") is None:
            self.show_notice("")
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._show_selected()

    def show_notice(self, text: str, permanent: bool = False) -> None:
        if permanent:
            self.notice.setProperty("permanent", True)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def clear_notice(self) -> None:
        """Also a permanent one, once what it said no longer holds."""
        self.notice.setProperty("permanent", None)
        self.show_notice("")

    def bring_up(self) -> None:
        self._fill_history_services()
        self.refresh()
        self.reload_history()
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()
        self.ticker.start()

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 680)
        for key, splitter in (
            ("window/splitter", self.splitter),
            ("window/details", self.details_splitter),
        ):
            state = self.settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
            elif splitter is self.splitter:
                self.splitter.setSizes([600, 600])

    def _save(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/details", self.details_splitter.saveState())
        self._mark_seen(self._selected)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window keeps traywatch running in the tray.
        self._save()
        self.ticker.stop()
        event.ignore()
        self.hide()


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)
