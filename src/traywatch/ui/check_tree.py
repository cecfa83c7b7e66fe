"""A tree of things to tick — a page's components by group, or the platforms an
endpoint runs on and their components — with a search box and counts. Usable with
hundreds of entries (Cloudflare lists ~470 components in 8 groups).

A group ticked whole stands for the group (its name is what is kept, so a component
the page adds to it later is included); a group ticked in part stands for the ticked
ones. Values the tree does not know (a component no longer on the page) are kept,
ticked, under "Not on the page now", so that opening and closing the picker never
loses a choice."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from traywatch.core.model import Component, Severity
from traywatch.ui.icons import severity_icon
from traywatch.ui.style import readable_ticks

NOT_ON_PAGE = "Not on the page now"
_MISSING = "\x00missing"  # the value of the group that keeps unknown choices


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    value: str  # what is kept when this entry is ticked whole
    severity: Severity | None = None
    children: tuple[Choice, ...] = ()

    def leaves(self) -> Iterator[Choice]:
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()


def component_choices(components: Sequence[Component], prefix: str = "") -> tuple[Choice, ...]:
    """A page's components as the page groups them, in its order; `prefix` is put
    before each value ("Heroku: " for what an endpoint runs on)."""
    by_group: dict[str | None, list[Component]] = {}
    for component in components:
        by_group.setdefault(component.group, []).append(component)
    choices: list[Choice] = []
    for group, members in by_group.items():
        leaves = tuple(
            Choice(c.name, prefix + c.name, c.severity)
            for c in members
            if group is None or c.name != group
        )
        if group is None:
            choices.extend(leaves)
        else:
            worst = max((c.severity for c in members), default=None)
            choices.append(Choice(group, prefix + group, worst, leaves))
    return tuple(choices)


class CheckTree(QWidget):
    changed = Signal()

    def __init__(
        self,
        describe: Callable[[CheckTree], str],
        *,
        search_hint: str = "Search",
        missing: str = NOT_ON_PAGE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        readable_ticks()
        self._describe = describe
        self._missing = missing
        self._choices: tuple[Choice, ...] = ()
        self.search = QLineEdit()
        self.search.setPlaceholderText(search_hint)
        self.search.setAccessibleName(search_hint)
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Name", "Now"])
        self.tree.setAccessibleName("Choices")
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.count = QLabel()
        self.count.setAccessibleName("How many are ticked")
        self.quick = QHBoxLayout()  # room for quick choices ("the ones with trouble now")
        self.quick.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addLayout(self.quick)
        layout.addLayout(bottom)
        self._recount_soon = QTimer(self)
        self._recount_soon.setSingleShot(True)
        self._recount_soon.setInterval(0)
        self._recount_soon.timeout.connect(self._changed_settled)
        self.search.textChanged.connect(self._filter)
        self.tree.itemChanged.connect(self._item_changed)

    # -- filling and reading ---------------------------------------------------------------

    def set_choices(self, choices: Sequence[Choice], chosen: Iterable[str]) -> None:
        wanted = {value.casefold(): value for value in chosen}
        known = {c.value.casefold() for root in choices for c in _walk(root)}
        unknown = tuple(Choice(v, v) for k, v in wanted.items() if k not in known)
        self._choices = tuple(choices) + (
            (Choice(self._missing, _MISSING, None, unknown),) if unknown else ()
        )
        self.tree.blockSignals(True)
        self.tree.clear()
        ticked = set(wanted) | {_MISSING}
        self.tree.addTopLevelItems([self._item(choice, ticked) for choice in self._choices])
        self.tree.setRootIsDecorated(any(choice.children for choice in self._choices))
        self.tree.blockSignals(False)
        self._filter(self.search.text())
        self._recount()

    def _item(self, choice: Choice, wanted: set[str], whole: bool = False) -> QTreeWidgetItem:
        leaves = list(choice.leaves()) if choice.children else []
        label = f"{choice.label} ({len(leaves)})" if leaves else choice.label
        item = QTreeWidgetItem([label, ""])
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
        if choice.children:
            # A group's tick is computed from its children's (and ticks them all).
            flags |= Qt.ItemFlag.ItemIsAutoTristate
        item.setFlags(flags)
        item.setToolTip(0, choice.value)
        if choice.severity is not None:
            item.setIcon(1, severity_icon(choice.severity, self.palette()))
            item.setText(1, _state(choice, leaves))
        whole = whole or choice.value.casefold() in wanted
        item.addChildren([self._item(child, wanted, whole) for child in choice.children])
        if not choice.children:
            item.setCheckState(0, Qt.CheckState.Checked if whole else Qt.CheckState.Unchecked)
        return item

    def chosen(self) -> tuple[str, ...]:
        """The values of what is ticked: a group ticked whole as the group."""
        found: list[str] = []
        for index, choice in enumerate(self._choices):
            self._collect(_top(self.tree, index), choice, found)
        return tuple(found)

    def _collect(self, item: QTreeWidgetItem, choice: Choice, found: list[str]) -> None:
        state = item.checkState(0)
        if state is Qt.CheckState.Checked and choice.value != _MISSING:
            found.append(choice.value)
        elif state is not Qt.CheckState.Unchecked:
            for index, child in enumerate(choice.children):
                self._collect(_child(item, index), child, found)

    def leaves(self) -> Iterator[tuple[QTreeWidgetItem, Choice]]:
        for index, choice in enumerate(self._choices):
            yield from _leaf_items(_top(self.tree, index), choice)

    @property
    def total(self) -> int:
        return sum(1 for _ in self.leaves())

    @property
    def ticked(self) -> int:
        return sum(1 for item, _ in self.leaves() if item.checkState(0) is Qt.CheckState.Checked)

    # -- quick choices ---------------------------------------------------------------------

    def tick_where(self, wanted: Callable[[Choice], bool]) -> int:
        """Tick exactly the entries `wanted` accepts; how many that is."""
        ticked = 0
        self.tree.blockSignals(True)
        try:
            for item, choice in self.leaves():
                on = wanted(choice)
                ticked += on
                item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self.tree.blockSignals(False)
        self.tree.viewport().update()  # the groups' ticks follow their children's
        self._recount()
        self.changed.emit()
        return ticked

    # -- presentation ----------------------------------------------------------------------

    def _item_changed(self, _item: QTreeWidgetItem, column: int) -> None:
        # Ticking a group changes each of its children: count once, when all are done.
        if column == 0 and not self._recount_soon.isActive():
            self._recount_soon.start()

    def _changed_settled(self) -> None:
        self._recount()
        self.changed.emit()

    def _recount(self) -> None:
        self.count.setText(self._describe(self))

    def _filter(self, text: str) -> None:
        words = text.casefold().split()

        def matches(item: QTreeWidgetItem) -> bool:
            label = _label_of(item).casefold()
            return all(word in label for word in words)

        def show(item: QTreeWidgetItem, parent_matches: bool) -> bool:
            own = parent_matches or matches(item)
            shown_children = [show(_child(item, i), own) for i in range(item.childCount())]
            visible = own or any(shown_children)
            item.setHidden(not visible)
            if item.childCount():
                found_inside = bool(words) and any(shown_children) and not matches(item)
                item.setExpanded(found_inside or (not words and _opened_for_its_ticks(item)))
            return visible

        for index in range(self.tree.topLevelItemCount()):
            show(_top(self.tree, index), not words)


OPENED_UP_TO = 40  # a group ticked in part is opened to show its ticks, if not longer


def _opened_for_its_ticks(item: QTreeWidgetItem) -> bool:
    """A group ticked in part, opened so that what is ticked in it shows ("Heroku" with
    "Apps" ticked); not one so long that it would bury the rest."""
    return (
        item.checkState(0) is Qt.CheckState.PartiallyChecked and item.childCount() <= OPENED_UP_TO
    )


def _walk(choice: Choice) -> Iterator[Choice]:
    yield choice
    for child in choice.children:
        yield from _walk(child)


def _leaf_items(item: QTreeWidgetItem, choice: Choice) -> Iterator[tuple[QTreeWidgetItem, Choice]]:
    if not choice.children:
        yield item, choice
    for index, child in enumerate(choice.children):
        yield from _leaf_items(_child(item, index), child)


def _top(tree: QTreeWidget, index: int) -> QTreeWidgetItem:
    item = tree.topLevelItem(index)
    assert item is not None
    return item


def _child(item: QTreeWidgetItem, index: int) -> QTreeWidgetItem:
    child = item.child(index)
    assert child is not None
    return child


def _state(choice: Choice, leaves: list[Choice]) -> str:
    """A component's state; a group's as how many of its members are in trouble (one
    re-routed data centre of 58 is not a region in trouble)."""
    assert choice.severity is not None
    trouble = [c for c in leaves if c.severity is not None and c.severity >= Severity.DEGRADED]
    if leaves and trouble:
        return f"{len(trouble)} of {len(leaves)} in trouble"
    return choice.severity.label


def _label_of(item: QTreeWidgetItem) -> str:
    """The searchable name: without a group's count."""
    text = item.text(0)
    return text.rsplit(" (", 1)[0] if item.childCount() else text
