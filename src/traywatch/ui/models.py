"""Qt models over the core's data: the services table and the paged history."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from traywatch.core.health import COULD_NOT_CHECK, ServiceView, attention
from traywatch.core.model import Severity
from traywatch.monitor import STARTUP_NOTE
from traywatch.notify.policy import (
    CURRENT_STATE,
    ESCALATION,
    INCIDENT_RESOLVED,
    INCIDENT_UPDATE,
    MAINTENANCE_STARTED,
    NEW_INCIDENT,
    RECOVERY,
    SUMMARY,
)
from traywatch.notify.them_or_me import EARLY_WARNING, EXPLAINED, UNEXPLAINED, YOUR_NETWORK
from traywatch.store.history import HistoryQuery, HistoryRow, HistoryStore
from traywatch.store.reader import StoreReader
from traywatch.ui.aio import Loads
from traywatch.ui.icons import severity_icon
from traywatch.ui.safe_text import ago

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def _worst_first_rank(view: ServiceView) -> int:
    # Unknown ranks below operational in the model's order; in a list of what to
    # look at, "could not check" belongs with the trouble.
    return 10 if view.severity is Severity.UNKNOWN and not view.stale else view.severity.rank * 2


class _Icons:
    """State icons by severity, looked up once per model reset instead of per cell."""

    def __init__(self) -> None:
        self._icons: dict[Severity, Any] = {}

    def __call__(self, severity: Severity) -> Any:
        icon = self._icons.get(severity)
        if icon is None:
            icon = self._icons[severity] = severity_icon(severity)
        return icon

    def clear(self) -> None:
        self._icons.clear()


def next_check_text(view: ServiceView, now: datetime) -> str:
    """ "next check in 4 min" ("" when none is planned)."""
    if view.next_check is None:
        return ""
    seconds = max(0, int((view.next_check - now).total_seconds()))
    return f"next check in {seconds // 60} min" if seconds >= 60 else f"next check in {seconds} s"


def checked_text(view: ServiceView, now: datetime) -> str:
    """When it was last checked, and whether what is shown is older than that."""
    if view.checked_at is None:
        return "not checked yet"
    said = f"checked {ago(view.checked_at, now)}"
    if view.stale and view.good_at is not None and view.error:
        said += f"; showing the state of {ago(view.good_at, now)} (the latest check failed)"
    elif view.stale:
        said += " (remembered from the last run)"
    return said


class ServicesModel(QAbstractTableModel):
    """One row per watched service. Cells elide; each one's tooltip says it in full."""

    HEADERS = ("State", "Service", "Summary", "Checked")

    def __init__(self) -> None:
        super().__init__()
        self.views: list[ServiceView] = []
        self.icons = _Icons()

    def set_views(self, views: list[ServiceView]) -> None:
        if [v.name for v in views] == [v.name for v in self.views]:
            self.views = views
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(views) - 1, len(self.HEADERS) - 1)
            )
            return
        self.beginResetModel()
        self.views = views
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.views)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        view = self.views[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return view.label + (" (snoozed)" if view.snoozed else "")
            if column == 1:
                return view.name
            if column == 2:  # the state is in its own column: said once
                return view.summary.removeprefix(f"{COULD_NOT_CHECK}: ")
            if column == 3:
                now = datetime.now(UTC)
                return ago(view.checked_at, now) if view.checked_at else "not yet"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self.icons(view.severity)
        if role == Qt.ItemDataRole.FontRole and column == 3 and view.stale:
            font = QFont()
            font.setItalic(True)  # an older state is shown: see the tooltip
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(view, column)
        if role == SORT_ROLE:
            if column == 0:
                return attention(view)
            if column == 3:
                return view.checked_at.timestamp() if view.checked_at else 0.0
            return str(self.data(index, Qt.ItemDataRole.DisplayRole)).casefold()
        if role == Qt.ItemDataRole.UserRole:
            return view.name
        return None

    def _tooltip(self, view: ServiceView, column: int) -> str:
        now = datetime.now(UTC)
        if column == 3:
            lines = [checked_text(view, now).capitalize(), next_check_text(view, now)]
            return "\n".join(line for line in lines if line)
        if column == 1:
            return f"{view.name}\n{view.url}"
        explanation = view.explanation(now)
        if column == 0:
            state = view.label + (" (snoozed: left out of the icon)" if view.snoozed else "")
            return "\n".join(line for line in (state, explanation) if line)
        return "\n".join(line for line in (view.summary, explanation) if line)


class ServicesFilter(QSortFilterProxyModel):
    """Text (name or summary) and state filters; worst first by default."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self._text = ""
        self._severity: Severity | None = None

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.casefold().strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_severity(self, severity: Severity | None) -> None:
        self.beginFilterChange()
        self._severity = severity
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ServicesModel)
        view = model.views[row]
        if self._severity is not None and view.severity is not self._severity:
            return False
        return not self._text or self._text in f"{view.name} {view.summary}".casefold()


EVENTS = {
    "severity_change": "State changed",  # the store's own rows
    NEW_INCIDENT: "New incident",
    ESCALATION: "Got worse",
    INCIDENT_UPDATE: "Incident update",
    INCIDENT_RESOLVED: "Incident resolved",
    RECOVERY: "Recovered",
    MAINTENANCE_STARTED: "Maintenance started",
    CURRENT_STATE: "State at start",
    SUMMARY: "Several changes",
    EXPLAINED: "Platform explains it",
    UNEXPLAINED: "Platform fine, still failing",
    EARLY_WARNING: "Early warning",
    YOUR_NETWORK: "Your network?",
    STARTUP_NOTE: "traywatch notice",
}


def event_text(event: str) -> str:
    return EVENTS.get(event) or event.replace("_", " ").capitalize()


def when_text(moment: datetime, now: datetime) -> str:
    """ "Today 14:03 · 5 min ago", "31 Mar 14:03 · 2 d 3 h ago" (local time)."""
    return f"{absolute_time(moment, now)} · {ago(moment, now)}"


def absolute_time(moment: datetime, now: datetime) -> str:
    local, today = moment.astimezone(), now.astimezone().date()
    if local.date() == today:
        return f"Today {local:%H:%M}"
    if local.year == today.year:
        return f"{local:%d %b %H:%M}"
    return f"{local:%d %b %Y %H:%M}"


class HistoryModel(QAbstractTableModel):
    """Pages rows in from the store as the view scrolls, so 100 000 rows stay smooth; rows
    recorded while it is shown are added at the top. Every read is awaited off the GUI
    thread (`StoreReader`); `changed` tells the count has moved."""

    HEADERS = ("Time", "Service", "Event", "Severity", "Text")
    PAGE = 200
    changed = Signal()

    def __init__(self, reader: StoreReader) -> None:
        super().__init__()
        self.reader = reader
        self.loads = Loads()
        self.query = HistoryQuery()
        self.rows: list[HistoryRow] = []
        self._shown: list[tuple[str, str, str, str]] = []  # formatted once per row
        self.total = 0
        self.loaded = False  # the first page of the current query is in
        self.problem: str | None = None  # why the store could not be read
        self._newest_id = 0
        self.icons = _Icons()

    # -- loading ---------------------------------------------------------------------------

    def set_query(self, query: HistoryQuery) -> None:
        self.loads.cancel()
        self.query = query
        self.loaded = False
        self.loads.start("first page", self._first_page(query))

    async def _first_page(self, query: HistoryQuery) -> None:
        try:
            newest = await self.reader.call(HistoryStore.history_last_id)
            total = await self.reader.call(HistoryStore.history_count, query)
            page = await self.reader.call(HistoryStore.history_page, query, 0, self.PAGE)
        except sqlite3.Error as exc:
            self._failed(exc)
            return
        self.beginResetModel()
        self.rows, self._shown = [], []
        self.total = total
        self._newest_id = newest
        self._add(page)
        self.endResetModel()
        self.loaded = True
        self.problem = None
        self.changed.emit()

    def canFetchMore(self, parent: Index) -> bool:
        return (
            not parent.isValid()
            and self.loaded
            and len(self.rows) < self.total
            and not self.loads.busy("more")
        )

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self.loads.start("more", self._more(self.query))

    async def _more(self, query: HistoryQuery) -> None:
        last = self.rows[-1]
        following = replace(query, before=(last.at, last.id))
        try:
            page = await self.reader.call(HistoryStore.history_page, following, 0, self.PAGE)
        except sqlite3.Error as exc:
            self._failed(exc)
            return
        if not page:
            self.total = len(self.rows)  # rows were deleted meanwhile
            self.changed.emit()
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
        self._add(page)
        self.endInsertRows()

    def append_new(self) -> None:
        """Adds what was recorded since the rows were read, at the top."""
        if self.loaded and not self.loads.busy("newer"):
            self.loads.start("newer", self._newer(self.query))

    async def _newer(self, query: HistoryQuery) -> None:
        since = replace(query, after_id=self._newest_id)
        try:
            newest = await self.reader.call(HistoryStore.history_last_id)
            page = await self.reader.call(HistoryStore.history_page, since, 0, 10 * self.PAGE)
        except sqlite3.Error as exc:
            self._failed(exc)
            return
        self._newest_id = max(self._newest_id, newest)
        if not page:
            return
        self.beginInsertRows(QModelIndex(), 0, len(page) - 1)
        self.rows[:0] = page
        self._shown[:0] = [self._format(row) for row in page]
        self.total += len(page)
        self.endInsertRows()
        self.changed.emit()

    def _add(self, page: list[HistoryRow]) -> None:
        self.rows += page
        self._shown += [self._format(row) for row in page]

    @staticmethod
    def _format(row: HistoryRow) -> tuple[str, str, str, str]:
        return (
            row.service,
            event_text(row.event),
            row.severity.label,
            row.text.replace("\n", " · "),
        )

    def _failed(self, exc: sqlite3.Error) -> None:
        self.problem = f"The history could not be read: {exc}"
        self.changed.emit()

    def times_moved_on(self) -> None:
        """ "5 min ago" became "6 min ago"."""
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    # -- the model -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return when_text(row.at, datetime.now(UTC))
            return self._shown[index.row()][column - 1]
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return self.icons(row.severity)
        if role == Qt.ItemDataRole.ToolTipRole:  # each cell in full, however narrow
            if column == 0:
                return row.at.astimezone().strftime("%A %d %B %Y, %H:%M:%S %Z")
            return row.text if column == 4 else self._shown[index.row()][column - 1]
        return None
