"""The main window: what exactly is broken, since when, what did they say, is it them or
me, and what happened yesterday. Two tabs: the services (a list, worst first, and the
selected one explained) and the history (full size)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.health import COULD_NOT_CHECK, headline
from traywatch.core.model import Severity
from traywatch.monitor import Monitor
from traywatch.store.reader import StoreReader
from traywatch.ui import palette as colours
from traywatch.ui.details import LINK, DetailsPane
from traywatch.ui.history_view import HistoryPage
from traywatch.ui.icons import severity_icon
from traywatch.ui.models import ServicesFilter, ServicesModel
from traywatch.ui.service_menu import ServiceHandlers, ServiceMenu, is_endpoint

DEFAULT_SIZE = (1100, 720)
MINIMUM_SIZE = (760, 480)
# Services list columns: state, name, (summary stretches), checked.
COLUMN_WIDTHS = {0: 130, 1: 100, 3: 70}


NOTHING_WATCHED = (
    "<b>You watch nothing yet.</b> Add the platforms you depend on — GitHub, Heroku and "
    "hundreds more from the catalog, any status page by its address — and your own endpoints: "
    f'<a href="{LINK}:settings">open the settings</a>.'
)


class MainWindow(QMainWindow):
    refresh_requested = Signal(object)  # a service's name, or None for all
    open_url = Signal(str)
    edit_requested = Signal(str)  # the settings, at this service ("": as they are)
    remove_requested = Signal(str)  # asked and confirmed by the app

    def __init__(self, monitor: Monitor, settings: QSettings | None = None) -> None:
        super().__init__()
        self.monitor = monitor
        self.settings = settings or QSettings("traywatch", "traywatch")
        self.reader = StoreReader(monitor.store)
        self.setWindowTitle("traywatch")
        self.setMinimumSize(*MINIMUM_SIZE)
        self._selected: str | None = None
        self.handlers = ServiceHandlers(
            open_page=self.open_url.emit,
            snooze=self._snooze,
            notify_when_resolved=monitor.notify_when_resolved,
            edit=self.edit_requested.emit,
            remove=self.remove_requested.emit,
        )
        self.context_menu: ServiceMenu | None = None

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.notice.setAccessibleName("Notice")
        self.notice.linkActivated.connect(self._notice_link)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._services_page(), "Services")
        self.history_page = HistoryPage(self.reader)
        self.tabs.addTab(self.history_page, "History")
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(body)
        self._restore()
        self._readable_links()
        self.ticker = QTimer(self)  # "2 min ago" moves on while the window is open
        self.ticker.setInterval(30_000)
        self.ticker.timeout.connect(self.refresh)

    # -- the services tab ------------------------------------------------------------------

    def _services_page(self) -> QWidget:
        self.filter_text = QLineEdit()
        self.filter_text.setPlaceholderText("Filter services")
        self.filter_text.setClearButtonEnabled(True)
        self.filter_text.setAccessibleName("Filter services by name or summary")
        self.filter_state = QComboBox()
        self.filter_state.setAccessibleName("Filter services by state")
        self.filter_state.addItem("All states", None)
        for severity in sorted(Severity, reverse=True):
            label = COULD_NOT_CHECK if severity is Severity.UNKNOWN else severity.label
            self.filter_state.addItem(severity_icon(severity), label, severity)
        refresh_all = QPushButton("Check all")
        refresh_all.setToolTip("Check every service again now")
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
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        # Fixed widths, not "resize to contents", which asks every row (measured: 0.3 s).
        header = self.table.horizontalHeader()
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
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

        self.details = DetailsPane(self.monitor, self.reader, self.settings)
        self.details.refresh_requested.connect(self.refresh_requested.emit)
        self.details.open_url.connect(self.open_url.emit)
        self.details.service_clicked.connect(self.show_service)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        return self.splitter

    def _show_selected(self) -> None:
        index = self.table.currentIndex()
        name = self.proxy.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None
        if name != self._selected:
            self.details.select(name)
            self._selected = name
        view = next((v for v in self.model.views if v.name == name), None)
        if view is not None:
            self.details.show_view(view, self.model.views)

    def show_service(self, name: str, incident: str | None = None) -> bool:
        """Selects the service (and unfolds the incident); False if it is not watched."""
        self.tabs.setCurrentIndex(0)
        for row in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(row, 0), Qt.ItemDataRole.UserRole) == name:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                if incident is not None:
                    self.details.show_incident(incident)
                return True
        if self.filter_text.text() or self.filter_state.currentIndex():
            self.filter_text.clear()  # a filter hides it: show everything and try again
            self.filter_state.setCurrentIndex(0)
            return self.show_service(name, incident)
        return False

    def _context_menu(self, position: QPoint) -> None:
        """A right-click on a service: the same actions as its entry in the tray menu."""
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        name = self.proxy.data(index, Qt.ItemDataRole.UserRole)
        view = next((v for v in self.model.views if v.name == name), None)
        if view is None:
            return
        if self.context_menu is not None:
            self.context_menu.menu.deleteLater()
        endpoint = is_endpoint(self.monitor, view.name)
        self.context_menu = ServiceMenu(
            view.name, view.url, self.handlers, endpoint=endpoint, parent=self
        )
        self.context_menu.update(view, self.monitor.policy.wants_resolution(view.name))
        self.context_menu.menu.popup(self.table.viewport().mapToGlobal(position))

    def _snooze(self, name: str, duration: timedelta | None) -> None:
        self.monitor.snooze(name, datetime.now(UTC) + duration if duration is not None else None)

    # -- the history tab -------------------------------------------------------------------

    def _tab_changed(self) -> None:
        if self.tabs.currentWidget() is not self.history_page:
            return
        if self.history_page.model.loaded:
            self.history_page.append_new()  # what came while another tab was shown
        else:
            self.reload_history()  # read when first looked at, not when the window opens

    def reload_history(self) -> None:
        self.history_page.reload()

    async def export_history(self, path: Path, kind: str) -> int:
        return await self.history_page.export(path, kind)

    # -- the whole window --------------------------------------------------------------------

    def refresh(self) -> None:
        """On every change the monitor reports, and every 30 s while shown."""
        views = self.monitor.views()
        self.model.set_views(views)
        # the verdict where a task bar or a window switcher shows the window
        title = f"{headline(views, offline=self.monitor.offline)} — traywatch"
        if title != self.windowTitle():
            self.setWindowTitle(title)
        if self.monitor.offline:
            self.show_notice("You are offline: showing the state from the last successful check.")
        elif self.monitor.config_problem:
            self.show_notice(
                f"The edited configuration was not applied: {self.monitor.config_problem}"
            )
        elif self.monitor.startup_notes:
            self.show_notice("\n".join(text for _title, text in self.monitor.startup_notes))
        elif not views:
            self.show_notice(NOTHING_WATCHED)
        elif self.notice.property("permanent") is None:
            self.show_notice("")
        self.details.setVisible(bool(views))  # an empty pane with "Check now" explains nothing
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._show_selected()
        if self.tabs.currentWidget() is self.history_page and self.history_page.model.loaded:
            self.history_page.append_new()

    def _notice_link(self, link: str) -> None:
        if link == f"{LINK}:settings":
            self.edit_requested.emit("")

    def show_notice(self, text: str, permanent: bool = False) -> None:
        if permanent:
            self.notice.setProperty("permanent", True)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def clear_notice(self) -> None:
        """Also a permanent one, once what it said no longer holds."""
        self.notice.setProperty("permanent", None)
        self.show_notice("")

    def bring_up(self, service: str | None = None, incident: str | None = None) -> None:
        """Shows the window (at a service and incident, when given) and reads what it
        shows."""
        self.history_page.fill_services([s.name for s in self.monitor.services])
        self.refresh()
        if self.tabs.currentWidget() is self.history_page or self.history_page.model.loaded:
            self.reload_history()
        if service is not None:
            self.show_service(service, incident)
        if not self.isVisible():
            self._fit_screen()  # the screen may have changed since it was last shown
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()
        self.ticker.start()

    async def settled(self) -> None:
        """Returns once everything the window asked the store for has been shown."""
        for loads in (self.details.loads, self.history_page.loads, self.history_page.model.loads):
            await loads.settled()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.PaletteChange:
            self._readable_links()
            self.model.icons.clear()
            self.history_page.model.icons.clear()
            self.details.restyle()

    def _readable_links(self) -> None:
        """Links (the status page, an incident, a platform) in a colour that reads as
        text on this palette: a theme's own may not (Fusion's dark one: 4.1:1)."""
        palette = self.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            link = palette.color(group, QPalette.ColorRole.Link).name()
            readable = colours.readable(link, palette, colours.TEXT)
            if readable != link:  # set only then: setting it changes the palette again
                palette.setColor(group, QPalette.ColorRole.Link, QColor(readable))
                self.setPalette(palette)

    # -- size and layout -------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
        self._fit_screen()
        for key, splitter in (
            ("window/splitter", self.splitter),
            ("window/details", self.details.splitter),
        ):
            state = self.settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
            elif splitter is self.splitter:
                width = self.width()
                self.splitter.setSizes([width * 4 // 9, width * 5 // 9])

    def _fit_screen(self) -> None:
        """Never larger than the screen's free area (a 1024 x 768 one included)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()
        width = min(self.width(), free.width() - frame.width())
        height = min(self.height(), free.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(max(width, MINIMUM_SIZE[0]), max(height, MINIMUM_SIZE[1]))
        if not free.contains(self.frameGeometry()):
            self.move(
                max(free.left(), min(self.x(), free.right() - self.frameGeometry().width())),
                max(free.top(), min(self.y(), free.bottom() - self.frameGeometry().height())),
            )

    def _save(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        if not self.details.isHidden():  # hidden (nothing watched): its width is not a choice
            self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/details", self.details.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window keeps traywatch running in the tray.
        self._save()
        self.details.mark_seen()
        self.ticker.stop()
        event.ignore()
        self.hide()

    def dispose(self) -> None:
        """For good (the app is quitting): pending reads cancelled, the reader closed."""
        self._save()
        self.details.close_down()
        self.history_page.close_down()
        self.reader.close()
