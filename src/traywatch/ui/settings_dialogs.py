"""Small dialogs of the settings window: pick from the catalog, add by URL (checked
before it is added), pick watched components from a page's live list."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from traywatch import catalog
from traywatch.config.schema import ServiceConfig, check_url
from traywatch.probe import ProbeResult

Probe = Callable[[ServiceConfig], Awaitable[ProbeResult]]


class CatalogDialog(QDialog):
    """Search the built-in catalog; the chosen entries are in `chosen` after accept()."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add from catalog")
        self.resize(520, 460)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search 700+ platforms: name, kind or address")
        self.search.setAccessibleName("Search the catalog")
        self.results = QListWidget()
        self.results.setAccessibleName("Platforms")
        self.results.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._fill)
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        self._fill("")

    def _fill(self, text: str) -> None:
        self.results.clear()
        for entry in catalog.search(text)[:300]:
            item = QListWidgetItem(f"{entry.name}  ·  {entry.category}  ·  {entry.kind}")
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setToolTip(f"{entry.url}\nSource: {entry.source}")
            self.results.addItem(item)

    @property
    def chosen(self) -> list[catalog.CatalogEntry]:
        ids = [item.data(Qt.ItemDataRole.UserRole) for item in self.results.selectedItems()]
        return [e for e in (catalog.find(i) for i in ids) if e is not None]


class AddByUrlDialog(QDialog):
    """Paste a status page's address; it is checked (kind, name, state, components)
    before it can be added, and a page traywatch cannot read is explained."""

    def __init__(self, probe: Probe, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._probe = probe
        self.probed: ProbeResult | None = None
        self.setWindowTitle("Add by address")
        self.resize(560, 320)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://status.example.com")
        self.url.setAccessibleName("Status page address")
        self.check = QPushButton("Check")
        self.found = QLabel("Paste the address of a status page and press Check.")
        self.found.setWordWrap(True)
        self.found.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("Add")
        self.add_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.url)
        layout.addWidget(self.check)
        layout.addWidget(self.found, 1)
        layout.addWidget(self.buttons)
        self.check.clicked.connect(self.start_check)
        self.url.returnPressed.connect(self.start_check)
        self.url.textChanged.connect(lambda _text: self.add_button.setEnabled(False))
        self._task: asyncio.Future[None] | None = None

    def start_check(self) -> None:
        problem = check_url(self.url.text().strip())
        if problem:
            self.found.setText(problem)
            return
        self.check.setEnabled(False)
        self.found.setText("Checking…")
        self._task = asyncio.ensure_future(self._check(self.url.text().strip()))

    async def _check(self, url: str) -> None:
        try:
            result = await self._probe(ServiceConfig(name="new", url=url))
        finally:
            self.check.setEnabled(True)
        self.probed = result
        if result.found:
            groups = sorted({g for g, _ in result.components if g})
            lines = [
                f"Found a {result.kind} page"
                + (f": {result.page_name}" if result.page_name else ""),
                f"Now: {result.severity.label} — {result.summary}",
                f"{len(result.components)} components"
                + (f" in {len(groups)} groups" if groups else ""),
            ]
            self.found.setText("\n".join(lines))
            self.add_button.setEnabled(True)
        else:
            self.found.setText(f"Cannot add this address: {result.error}")
            self.add_button.setEnabled(False)

    @property
    def service(self) -> ServiceConfig | None:
        if self.probed is None or not self.probed.found:
            return None
        name = self.probed.page_name or self.url.text().strip()
        return ServiceConfig(name=name, url=self.url.text().strip(), kind=self.probed.kind)


class ComponentsDialog(QDialog):
    """Tick the components (or whole groups) that matter."""

    def __init__(
        self,
        components: tuple[tuple[str | None, str], ...],
        chosen: tuple[str, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Watched components")
        self.resize(460, 520)
        self.list = QListWidget()
        self.list.setAccessibleName("Components")
        wanted = {c.casefold() for c in chosen}
        groups = sorted({g for g, _ in components if g})
        for label in [*(f"{g} (whole group)" for g in groups), *sorted({n for _, n in components})]:
            name = label.removesuffix(" (whole group)")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = name.casefold() in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        hint = QLabel("Only the ticked ones count for the state and notifications; none: all.")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    @property
    def chosen(self) -> tuple[str, ...]:
        return tuple(
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() is Qt.CheckState.Checked
        )
