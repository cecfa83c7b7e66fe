"""The settings window's dialogs: add from the catalog, add by address (checked and
previewed before it is added), pick the components to watch, pick what an endpoint
runs on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from traywatch import catalog
from traywatch.config.schema import ENDPOINT, ServiceConfig, check_url, with_scheme
from traywatch.core.locations import find_places
from traywatch.core.model import Component, Severity
from traywatch.core.runs_on import parse_dependency
from traywatch.probe import ProbeResult
from traywatch.ui.check_tree import CheckTree, Choice, component_choices
from traywatch.ui.icons import severity_icon
from traywatch.ui.schema_form import ErrorLabel
from traywatch.ui.style import readable_ticks

Probe = Callable[[ServiceConfig], Awaitable[ProbeResult]]
ENTRY_ROLE = Qt.ItemDataRole.UserRole


def kind_title(kind: str | None) -> str:
    """A kind in words: "Statuspage", "My own endpoint (checked directly)"."""
    if kind is None:
        return "Status page, format found when checked"
    if kind == ENDPOINT:
        return "My own endpoint (checked directly)"
    from traywatch.providers import get_provider

    return get_provider(kind).title


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _buttons(dialog: QDialog, ok: str) -> tuple[QDialogButtonBox, QPushButton]:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    button = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    button.setText(ok)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, button


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """A size that leaves room on a small screen (1024x768 with a panel)."""
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, available.width() - 40)
        height = min(height, available.height() - 60)
    widget.resize(width, height)


# -- the catalog ---------------------------------------------------------------------------


def initials(name: str) -> str:
    """ "GitHub" -> "GH", "DigitalOcean" -> "DO", "npm" -> "Np"."""
    capitals = [c for c in name if c.isupper()]
    if len(capitals) >= 2:
        return "".join(capitals[:2])
    letters = [c for c in name if c.isalnum()]
    return ("".join(letters[:2]) or "?").capitalize()


DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2  # the second line
TAG_ROLE = Qt.ItemDataRole.UserRole + 3  # a word at the right ("✓ Already watched")


class TwoLineDelegate(QStyledItemDelegate):
    """A row people recognise without a logo: the initials of its name in a badge,
    the name, and under it what it is and where its page is."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        lines = QFontMetrics(option.font).lineSpacing()
        return QSize(200, max(2 * lines + 12, 40))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        view = QStyleOptionViewItem(option)
        self.initStyleOption(view, index)
        name = view.text
        view.text = ""
        style = view.widget.style() if view.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view, painter, view.widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, view, view.widget)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        metrics = QFontMetrics(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The badge in the theme's own pair of colours made to be read together.
        badge = QRect(area.left() + 2, area.center().y() - 15, 30, 30)
        fill, letters = QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText
        if selected:
            fill, letters = letters, fill
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(fill))
        painter.drawEllipse(badge)
        painter.setFont(bold)
        painter.setPen(palette.color(letters))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, initials(name))
        text = QRect(badge.right() + 10, area.top() + 4, 0, 0)
        text.setRight(area.right() - 4)
        text.setBottom(area.bottom() - 4)
        half = text.height() // 2
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        tag = str(index.data(TAG_ROLE) or "")
        tag_width = metrics.horizontalAdvance(tag) + 8 if tag else 0
        first = QRect(text.left(), text.top(), text.width() - tag_width, half)
        middle = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(
            first,
            Qt.AlignmentFlag.AlignLeft | middle,
            QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, first.width()),
        )
        painter.setFont(option.font)
        if tag:
            painter.drawText(
                QRect(text.right() - tag_width, text.top(), tag_width, half),
                Qt.AlignmentFlag.AlignRight | middle,
                tag,
            )
        if not selected:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        second = QRect(text.left(), text.top() + half, text.width(), half)
        detail = str(index.data(DETAIL_ROLE) or "")
        painter.drawText(
            second,
            Qt.AlignmentFlag.AlignLeft | middle,
            metrics.elidedText(detail, Qt.TextElideMode.ElideRight, second.width()),
        )
        painter.restore()


class CatalogDialog(QDialog):
    """Browse the built-in catalog by category or search it; tick the platforms to add
    (those already watched are marked). `chosen` holds the ticked ones after accept()."""

    add_by_address = Signal()  # nothing matched: the user may add the page by its address

    def __init__(self, watched: Iterable[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        readable_ticks()
        self.setWindowTitle("Add from the catalog")
        fit_to_screen(self, 760, 560)
        self._watched = set(watched)
        self._chosen: dict[str, catalog.CatalogEntry] = {}
        total = len(catalog.entries())
        self.categories = QListWidget()
        self.categories.setAccessibleName("Categories")
        all_item = QListWidgetItem(f"All platforms ({total})")
        all_item.setData(ENTRY_ROLE, "")
        self.categories.addItem(all_item)
        counts: dict[str, int] = {}
        for entry in catalog.entries():
            counts[entry.category] = counts.get(entry.category, 0) + 1
        for name in catalog.categories():
            item = QListWidgetItem(f"{name} ({counts[name]})")
            item.setData(ENTRY_ROLE, name)
            self.categories.addItem(item)
        self.categories.setMaximumWidth(230)
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {total} platforms by name or address")
        self.search.setAccessibleName("Search the catalog")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setAccessibleName("Platforms")
        self.results.setItemDelegate(TwoLineDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        self.by_address = QPushButton("Add it by its address…")
        self.by_address.setVisible(False)
        self.by_address.clicked.connect(self._add_by_address)
        hint = QLabel(
            "Tick the platforms you depend on, then Add: they join your list, and are watched "
            "from when you click OK or Apply."
        )
        hint.setWordWrap(True)
        self.buttons, self.add_button = _buttons(self, "Add")
        right = QVBoxLayout()
        right.addWidget(self.search)
        right.addWidget(hint)
        right.addWidget(self.results, 1)
        right.addWidget(self.empty)
        right.addWidget(self.by_address, 0, Qt.AlignmentFlag.AlignLeft)
        body = QHBoxLayout()
        body.addWidget(self.categories)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(lambda _text: self._fill())
        self.categories.currentRowChanged.connect(lambda _row: self._fill())
        self.results.itemChanged.connect(self._ticked)
        self.results.itemActivated.connect(self._toggle)
        self.categories.setCurrentRow(0)
        self._fill()
        self.search.setFocus()

    @property
    def category(self) -> str:
        item = self.categories.currentItem()
        return str(item.data(ENTRY_ROLE)) if item is not None else ""

    def _fill(self) -> None:
        self.results.blockSignals(True)
        self.results.clear()
        found = catalog.search(self.search.text(), self.category)
        for entry in found:
            watched = entry.id in self._watched
            item = QListWidgetItem(entry.name)
            item.setData(ENTRY_ROLE, entry)
            item.setData(DETAIL_ROLE, f"{entry.category} · {entry.host}")
            tip = f"{entry.name} — {entry.category}\n{entry.page or entry.url}"
            tip += f" ({kind_title(entry.kind)})"
            if watched:
                tip += "\nAlready in your list"
                item.setData(TAG_ROLE, "✓ Already watched")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # shown ticked, not to be unticked
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                item.setCheckState(
                    Qt.CheckState.Checked if entry.id in self._chosen else Qt.CheckState.Unchecked
                )
            item.setToolTip(tip + f"\nSource: {entry.source}")
            self.results.addItem(item)
        self.results.blockSignals(False)
        nothing = not found
        self.results.setVisible(not nothing)
        self.empty.setVisible(nothing)
        self.by_address.setVisible(nothing)
        if nothing:
            self.empty.setText(
                f"No platform in the catalog matches “{self.search.text().strip()}”. "
                "If it has a status page, you can add it by its address."
            )
        self._update_button()

    def _ticked(self, item: QListWidgetItem) -> None:
        entry = item.data(ENTRY_ROLE)
        if item.checkState() is Qt.CheckState.Checked:
            self._chosen[entry.id] = entry
        else:
            self._chosen.pop(entry.id, None)
        self._update_button()

    def _toggle(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            checked = item.checkState() is Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _update_button(self) -> None:
        """Says what it does: "Add GitHub", "Add GitHub and Heroku", "Add 3 platforms"."""
        names = [entry.name for entry in self._chosen.values()]
        self.add_button.setEnabled(bool(names))
        said = f"Add {' and '.join(names)}" if len(names) <= 2 else ""
        if not names:
            said = "Add"
        elif not said or len(said) > 36:
            said = f"Add {_plural(len(names), 'platform')}"
        self.add_button.setText(said)

    def _add_by_address(self) -> None:
        self.reject()
        self.add_by_address.emit()

    def choose(self, entry_id: str) -> None:
        """Tick an entry by its id (as a click on it would)."""
        entry = catalog.find(entry_id)
        if entry is not None and entry.id not in self._watched:
            self._chosen[entry.id] = entry
            self._fill()

    @property
    def chosen(self) -> list[catalog.CatalogEntry]:
        return list(self._chosen.values())


# -- components -----------------------------------------------------------------------------


def describe_components(tree: CheckTree) -> str:
    ticked, total = tree.ticked, tree.total
    if not ticked:
        return f"None ticked: all {_plural(total, 'component')} count"
    return f"{ticked} of {total} watched"


def add_component_actions(tree: CheckTree, components: Sequence[Component]) -> None:
    """Quick choices under a page's components: those in trouble now, and, on a page
    that lists data centres, the services without them."""
    trouble = QPushButton("Tick the ones with trouble now")
    trouble.setToolTip("Degraded, partial or major outage on the page right now")
    trouble.clicked.connect(
        lambda: tree.tick_where(
            lambda c: c.severity is not None and c.severity >= Severity.DEGRADED
        )
    )
    tree.quick.addWidget(trouble)
    places = find_places(components)
    if places:
        in_places = {c.name for c in components if places.holds(c)}
        services = QPushButton(f"Only the services (not the {places.count(len(in_places))})")
        services.clicked.connect(lambda: tree.tick_where(lambda c: c.label not in in_places))
        tree.quick.addWidget(services)
    clear = QPushButton("Untick all")
    clear.clicked.connect(lambda: tree.tick_where(lambda _c: False))
    tree.quick.addWidget(clear)


class ComponentsDialog(QDialog):
    """Tick the components (or whole groups) that count for a service."""

    def __init__(
        self,
        name: str,
        components: Sequence[Component],
        chosen: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Watched components of {name}")
        fit_to_screen(self, 640, 620)
        hint = QLabel(
            "Only what you tick counts for the icon and the notifications. A group ticked "
            "whole also covers what the page adds to it later. Nothing ticked: everything counts."
        )
        hint.setWordWrap(True)
        self.tree = CheckTree(
            describe_components, search_hint=f"Search the {_plural(len(components), 'component')}"
        )
        add_component_actions(self.tree, components)
        self.tree.set_choices(component_choices(components), chosen)
        buttons, _ = _buttons(self, "OK")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    @property
    def chosen(self) -> tuple[str, ...]:
        """The ticked components and groups; () when all of them (or none) are ticked."""
        if self.tree.ticked == self.tree.total:
            return ()
        return self.tree.chosen()


def runs_on_words(chosen: Sequence[str], services: Sequence[str] = ()) -> str:
    """ "Heroku (Apps, Data), Cloudflare (all of it)"."""
    parts: dict[str, list[str]] = {}
    for entry in chosen:
        dependency = parse_dependency(entry, services)
        parts.setdefault(dependency.platform, [])
        if dependency.component:
            parts[dependency.platform].append(dependency.component)
    return ", ".join(
        f"{platform} ({', '.join(components) if components else 'all of it'})"
        for platform, components in parts.items()
    )


def describe_runs_on(tree: CheckTree) -> str:
    chosen = tree.chosen()
    return f"Runs on: {runs_on_words(chosen)}" if chosen else "Runs on: nothing chosen yet"


class RunsOnDialog(QDialog):
    """What an endpoint of the user's runs on: whole platforms, or some of their
    components ("Heroku: Apps"), so that trouble elsewhere on the page does not count."""

    def __init__(
        self,
        endpoint: str,
        platforms: Sequence[tuple[str, Sequence[Component]]],
        chosen: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"What {endpoint} runs on")
        fit_to_screen(self, 640, 620)
        hint = QLabel(
            f"When {endpoint} fails, traywatch asks these first and tells you whether they "
            "explain it. Tick a whole platform, or only the parts your endpoint uses."
        )
        hint.setWordWrap(True)
        self.tree = CheckTree(
            describe_runs_on,
            search_hint="Search platforms and components",
            missing="Not watched now",
        )
        choices = [
            Choice(
                name,
                name,
                max((c.severity for c in components), default=None),
                component_choices(components, prefix=f"{name}: "),
            )
            for name, components in platforms
        ]
        self.tree.set_choices(choices, chosen)
        empty = QLabel(
            "Add the platforms it runs on to your list first (from the catalog or by address)."
        )
        empty.setWordWrap(True)
        empty.setVisible(not platforms)
        buttons, _ = _buttons(self, "OK")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(empty)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    @property
    def chosen(self) -> tuple[str, ...]:
        return self.tree.chosen()


# -- add by address ----------------------------------------------------------------------------


class AddByUrlDialog(QDialog):
    """Type or paste a status page's address; it is checked — kind, name, state,
    incidents, components — before it can be added. A web page is read for the status
    API it publishes; a page traywatch cannot read is explained in one sentence."""

    def __init__(
        self,
        probe: Probe,
        parent: QWidget | None = None,
        *,
        services: Sequence[ServiceConfig] = (),
    ) -> None:
        super().__init__(parent)
        self._probe = probe
        self._services = tuple(services)
        self.probed: ProbeResult | None = None
        self.setWindowTitle("Add a status page by its address")
        fit_to_screen(self, 680, 600)
        self.url = QLineEdit()
        self.url.setPlaceholderText("status.example.com")
        self.url.setAccessibleName("Status page address")
        self.check = QPushButton("Check")
        self.check.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(self.check)
        self.found = QLabel("Type the address of a status page and press Check.")
        self.found.setWordWrap(True)
        self.found.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = QWidget()
        form = QFormLayout(self.preview)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.name_error = ErrorLabel()
        self.name_error.setVisible(False)
        name_box = QWidget()
        name_layout = QVBoxLayout(name_box)
        name_layout.setContentsMargins(0, 0, 0, 0)
        name_layout.addWidget(self.name)
        name_layout.addWidget(self.name_error)
        self.kind = QLabel()
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state_icon = QLabel()
        now = QWidget()
        now_layout = QHBoxLayout(now)
        now_layout.setContentsMargins(0, 0, 0, 0)
        now_layout.addWidget(self.state_icon)
        now_layout.addWidget(self.state, 1)
        self.incidents = QLabel()
        form.addRow("Name", name_box)
        form.addRow("Kind", self.kind)
        form.addRow("Now", now)
        form.addRow("Incidents", self.incidents)
        self.tree = CheckTree(describe_components, search_hint="Search its components")
        self.tree_label = QLabel()
        self.tree_label.setWordWrap(True)
        form.addRow(self.tree_label)
        form.addRow(self.tree)
        self.preview.setVisible(False)
        self.buttons, self.add_button = _buttons(self, "Add")
        self.add_button.setEnabled(False)
        self.add_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.found)
        layout.addWidget(self.preview, 1)
        layout.addStretch(0)
        layout.addWidget(self.buttons)
        self.check.clicked.connect(self.start_check)
        self.url.returnPressed.connect(self.start_check)
        self.url.textEdited.connect(self._edited)
        self.name.textEdited.connect(lambda _text: self._check_name())
        self._task: asyncio.Future[None] | None = None

    def _edited(self, _text: str) -> None:
        self.add_button.setEnabled(False)
        self.add_button.setText("Add")  # another address: nothing found yet

    def start_check(self) -> None:
        address = with_scheme(self.url.text())
        if address != self.url.text():
            self.url.setText(address)
        problem = check_url(address)
        if problem:
            self.found.setText(problem[:1].upper() + problem[1:])
            self.preview.setVisible(False)
            return
        self.check.setEnabled(False)
        self.add_button.setEnabled(False)
        self.found.setText(f"Checking {address}…")
        self._task = asyncio.ensure_future(self._check(address))

    async def _check(self, url: str) -> None:
        try:
            result = await self._probe(ServiceConfig(name="new", url=url))
        finally:
            self.check.setEnabled(True)
        self.probed = result
        if not result.found:
            self.preview.setVisible(False)
            self.found.setText(f"Cannot add this address: {result.error}.")
            self.found.setToolTip(result.details)
            return
        self.found.setToolTip("")
        self.found.setText(self._found_text(result))
        self.name.setText(self._free_name(result.page_name or (result.url.split("//")[-1])))
        self.kind.setText(kind_title(result.kind))
        said = result.summary
        if not said.startswith(result.severity.label):
            said = f"{result.severity.label} — {said}"
        self.state.setText(said)
        self.state_icon.setPixmap(severity_icon(result.severity, self.palette()).pixmap(16, 16))
        self.incidents.setText(
            (_plural(result.incidents, "open incident") if result.incidents else "None open")
            + (
                f" · {_plural(result.maintenances, 'maintenance')} announced"
                if result.maintenances
                else ""
            )
        )
        self._show_components(result.components)
        self.preview.setVisible(True)
        self._check_name()

    def _found_text(self, result: ProbeResult) -> str:
        watched = next((s for s in self._services if _same_page(s.url, result.url)), None)
        said = f"Found {result.page_name or 'a status page'} at {result.url}."
        if result.found_via is not None:
            said = (
                "That address is a web page, not a status API. It names its status page "
                f"({result.found_via.why}): {result.url} — that is what will be watched."
            )
        if watched is not None:
            said += f" You already watch it as “{watched.name}”."
        return said

    def _show_components(self, components: Sequence[Component]) -> None:
        groups = {c.group for c in components if c.group}
        self.tree.setVisible(bool(components))
        if not components:
            self.tree_label.setText("Its page lists no components: it is watched as a whole.")
            return
        places = find_places(components)
        in_places = {c.name for c in components if places.holds(c)}
        self.tree_label.setText(
            f"{_plural(len(components), 'component')}"
            + (f" in {_plural(len(groups), 'group')}" if groups else "")
            + ". Tick the ones to watch, or none to watch them all."
            + (
                f" The {places.count(len(in_places))} are left out: one of them in trouble is "
                "not an outage of the service."
                if places
                else ""
            )
        )
        default = [c.group or c.name for c in components if not places.holds(c)] if places else []
        self.tree.set_choices(component_choices(components), dict.fromkeys(default))
        for index in reversed(range(self.tree.quick.count())):
            item = self.tree.quick.takeAt(index)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        add_component_actions(self.tree, components)

    def _free_name(self, name: str) -> str:
        taken = {s.name.casefold() for s in self._services}
        candidate, number = name, 2
        while candidate.casefold() in taken:
            candidate, number = f"{name} ({number})", number + 1
        return candidate

    def _check_name(self) -> None:
        name = self.name.text().strip()
        taken = {s.name.casefold() for s in self._services}
        problem = (
            "A name is needed"
            if not name
            else f"Another service is called {name}; choose another name"
            if name.casefold() in taken
            else ""
        )
        self.name_error.setText(problem)
        self.name_error.setVisible(bool(problem))
        ready = self.probed is not None and self.probed.found and not problem
        self.add_button.setEnabled(ready)
        # says what it adds, as the catalog's does ("Add Cloudflare")
        self.add_button.setText(f"Add {name}" if ready and len(name) <= 30 else "Add")

    @property
    def service(self) -> ServiceConfig | None:
        if self.probed is None or not self.probed.found:
            return None
        chosen = () if self.tree.ticked == self.tree.total else self.tree.chosen()
        return ServiceConfig(
            name=self.name.text().strip(),
            url=self.probed.url,
            kind=self.probed.kind,
            components=chosen or None,
        )


def _same_page(a: str, b: str) -> bool:
    return catalog.page_of(a) == catalog.page_of(b)
