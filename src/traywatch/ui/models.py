"""Qt models over the core's data: the services table and the paged history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from traywatch.core.health import ServiceView
from traywatch.core.model import Severity
from traywatch.store.history import HistoryQuery, HistoryRow, HistoryStore
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


class ServicesModel(QAbstractTableModel):
    HEADERS = ("State", "Service", "Summary", "Checked", "Next check")

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
        now = datetime.now(UTC)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                text = view.severity.label + (" (stale)" if view.stale else "")
                return text + (" · snoozed" if view.snoozed else "")
            if column == 1:
                return view.name
            if column == 2:
                return view.summary
            if column == 3:
                return ago(view.checked_at, now) if view.checked_at else "not yet"
            if column == 4:
                if view.next_check is None:
                    return ""
                seconds = max(0, int((view.next_check - now).total_seconds()))
                return f"in {seconds // 60} min" if seconds >= 60 else f"in {seconds} s"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self.icons(view.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            return view.explanation(now) or view.summary
        if role == SORT_ROLE:
            if column == 0:
                return _worst_first_rank(view)
            if column in (3, 4):
                moment = view.checked_at if column == 3 else view.next_check
                return moment.timestamp() if moment else 0.0
            return str(self.data(index, Qt.ItemDataRole.DisplayRole)).casefold()
        if role == Qt.ItemDataRole.UserRole:
            return view.name
        return None


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


class HistoryModel(QAbstractTableModel):
    """Pages rows in from SQLite as the view scrolls, so 100 000 rows stay smooth."""

    HEADERS = ("Time", "Service", "Event", "Severity", "Text")
    PAGE = 200

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.store = store
        self.query = HistoryQuery()
        self.rows: list[HistoryRow] = []
        self._shown: list[tuple[str, str, str, str, str]] = []  # formatted once per row
        self.total = 0
        self.icons = _Icons()

    def set_query(self, query: HistoryQuery) -> None:
        self.beginResetModel()
        self.query = query
        self.rows = []
        self._shown = []
        self.total = self.store.history_count(query)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        page = self.store.history_page(self.query, len(self.rows), self.PAGE)
        if not page:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
        self.rows += page
        self._shown += [
            (
                row.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                row.service,
                row.event.replace("_", " "),
                row.severity.label,
                row.text.replace("\n", " · "),
            )
            for row in page
        ]
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown[index.row()][index.column()]
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 3:
            return self.icons(row.severity)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return row.text
        return None
