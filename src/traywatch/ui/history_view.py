"""The history tab: every notification and change of state, newest first, filtered in one
row, paged from the store as it scrolls, with rows recorded while it is open added at the
top; exportable and clearable."""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.model import Severity
from traywatch.store.history import HistoryQuery, HistoryStore
from traywatch.store.reader import StoreReader
from traywatch.ui.aio import Loads
from traywatch.ui.models import HistoryModel

EXPORT_FIELDS = ["time", "service", "event", "severity", "text"]
EXPORT_PAGE = 5000


def export_rows(store: HistoryStore, query: HistoryQuery, path: Path, kind: str) -> int:
    """Every row of the filter, not only those scrolled into view (runs on the store's
    worker: a long export does not hold the window up)."""
    records = []
    page = store.history_page(query, 0, EXPORT_PAGE)
    while page:
        records += [
            {
                "time": r.at.isoformat(),
                "service": r.service,
                "event": r.event,
                "severity": r.severity.value,
                "text": r.text,
            }
            for r in page
        ]
        last = page[-1]
        page = store.history_page(replace(query, before=(last.at, last.id)), 0, EXPORT_PAGE)
    if kind == "json":
        path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS)
            writer.writeheader()
            writer.writerows(records)
    return len(records)


class HistoryPage(QWidget):
    def __init__(self, reader: StoreReader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self.loads = Loads()
        self.model = HistoryModel(reader)
        self.model.changed.connect(self._count_changed)
        self.service = QComboBox()
        self.service.setAccessibleName("History: service")
        self.service.addItem("All services", None)
        self.service.setMinimumContentsLength(14)
        self.service.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.severity = QComboBox()
        self.severity.setAccessibleName("History: at least this severity")
        self.severity.addItem("Any severity", None)
        for severity in sorted(Severity, reverse=True):
            if severity is not Severity.UNKNOWN:
                self.severity.addItem(f"{severity.label} or worse", severity)
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-30))
        self.until = QDateEdit(today)
        for edit, name in ((self.since, "from"), (self.until, "to")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(f"History {name}")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the history")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the history")
        self.table = QTableView()
        self.table.setAccessibleName("History")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        # Fixed widths, not "resize to contents", which asks every row (measured: 0.3 s).
        for column, width in enumerate((190, 130, 160, 140)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel()
        self.count.setAccessibleName("History: entries")
        export_csv = QPushButton("Export CSV…")
        export_csv.clicked.connect(lambda: self._ask_export("csv"))
        export_json = QPushButton("Export JSON…")
        export_json.clicked.connect(lambda: self._ask_export("json"))
        clear = QPushButton("Clear history…")
        clear.clicked.connect(self._confirm_clear)
        for widget in (self.service, self.severity):
            widget.currentIndexChanged.connect(lambda _i: self.reload())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: self.reload())
        self.search.textChanged.connect(lambda _t: self.reload())

        filters = QHBoxLayout()
        row: tuple[QWidget, ...] = (
            self.service,
            self.severity,
            QLabel("from"),
            self.since,
            QLabel("to"),
            self.until,
        )
        for item in row:
            filters.addWidget(item)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        for button in (export_csv, export_json, clear):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

    def query(self) -> HistoryQuery:
        def moment(date: QDate) -> datetime:
            local = datetime(date.year(), date.month(), date.day()).astimezone()
            return local.astimezone(UTC)

        return HistoryQuery(
            service=self.service.currentData(),
            min_severity=self.severity.currentData(),
            since=moment(self.since.date()),
            until=moment(self.until.date().addDays(1)),
            text=self.search.text(),
        )

    def reload(self) -> None:
        self.model.set_query(self.query())

    def append_new(self) -> None:
        """Rows recorded since they were read appear at the top; "5 min ago" moves on."""
        if self.until.date() < QDate.currentDate():
            self.until.setDate(QDate.currentDate())  # a window left open overnight
        self.model.append_new()
        self.model.times_moved_on()

    def _count_changed(self) -> None:
        if self.model.problem:
            self.count.setText(self.model.problem)
        else:
            noun = "entry" if self.model.total == 1 else "entries"
            self.count.setText(f"{self.model.total:,} {noun} · new ones appear at the top")

    def fill_services(self, names: list[str]) -> None:
        """The watched services and any other the history knows of."""
        self.loads.start("services", self._fill_services(names))

    async def _fill_services(self, watched: list[str]) -> None:
        try:
            recorded = await self.reader.call(HistoryStore.history_services)
        except sqlite3.Error:
            recorded = []
        current = self.service.currentData()
        self.service.blockSignals(True)
        self.service.clear()
        self.service.addItem("All services", None)
        for name in sorted(set(watched) | set(recorded), key=str.casefold):
            self.service.addItem(name, name)
        self.service.setCurrentIndex(max(0, self.service.findData(current)))
        self.service.blockSignals(False)

    # -- export and clear -------------------------------------------------------------------

    def _ask_export(self, kind: str) -> None:
        dialog = QFileDialog(self, "Export history", f"traywatch-history.{kind}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(
            lambda name: self.loads.start("export", self._export(name, kind))
        )
        dialog.open()

    async def _export(self, name: str, kind: str) -> None:
        try:
            count = await self.export(Path(name), kind)
        except (OSError, sqlite3.Error) as exc:
            self.count.setText(f"Not exported: {exc}")
            return
        self.count.setText(f"Exported {count:,} entries to {name}")

    async def export(self, path: Path, kind: str) -> int:
        return await self.reader.call(export_rows, self.query(), path, kind)

    def _confirm_clear(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Clear history",
            "Delete every entry of the history? "
            "Notifications already sent are still never sent twice.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.accepted.connect(lambda: self.loads.start("clear", self.clear()))
        box.open()

    async def clear(self) -> None:
        await self.reader.call(HistoryStore.clear_history)
        self.reload()

    def close_down(self) -> None:
        self.loads.cancel()
        self.model.loads.cancel()
