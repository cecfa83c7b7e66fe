"""Forms generated from the declared options (config/schema.py): one editor per option,
chosen by its type (or its `editor` when it needs a purpose-built one), grouped in its
section, labelled and explained by the declaration, with its problem shown under it.

An editor reads and writes its key of a TOML-shaped table (what the config file says),
so that what the form holds is validated by the same schema as the file."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QTime, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from traywatch.config.schema import Option, with_scheme
from traywatch.ui.palette import error_style

SECRET_VALUE = "_secret_value"  # typed in the form, stored in the keyring, never in the file


class ErrorLabel(QLabel):
    """A line that says what is wrong, in the palette's error colour (measured for text
    on the palette's backgrounds), or in the ordinary text colour when `as_error` is off.
    Follows a change of the desktop's palette (light to dark) while it is shown."""

    def __init__(self, text: str = "", *, as_error: bool = True) -> None:
        super().__init__(text)
        self._as_error = as_error
        self._paint()

    def set_as_error(self, on: bool) -> None:
        if on != self._as_error:
            self._as_error = on
            self._paint()

    def _paint(self) -> None:
        wanted = error_style(QGuiApplication.palette()) if self._as_error else ""
        if wanted != self.styleSheet():  # setting it is itself a change of palette
            self.setStyleSheet(wanted)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._paint()
        super().changeEvent(event)


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class Editor(QWidget):
    """The input of one option."""

    changed = Signal()

    def __init__(self, option: Option) -> None:
        super().__init__()
        self.option = option
        self.setToolTip(sentence(option.help))
        self.setAccessibleName(option.title)

    def value(self) -> Any:
        """The TOML value the input says, or None for "leave it out"."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def for_kind(self, kind: str | None) -> None:
        """Shown for a service of this kind (an endpoint's address looks different)."""

    def load(self, raw: Mapping[str, Any]) -> None:
        self.blockSignals(True)
        try:
            self.set_value(raw.get(self.option.name, self.option.default))
        finally:
            self.blockSignals(False)

    def store(self, raw: dict[str, Any]) -> None:
        value = self.value()
        if value is None or (not self.option.required and value == self.option.default):
            raw.pop(self.option.name, None)
        else:
            raw[self.option.name] = value

    def _row(self, *widgets: QWidget, stretch: bool = False) -> QHBoxLayout:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        if stretch:
            layout.addStretch(1)
        return layout


class CheckEditor(Editor):
    def __init__(self, option: Option) -> None:
        super().__init__(option)
        self.box = QCheckBox(option.title)
        self.box.setAccessibleName(option.title)
        self._row(self.box)
        self.box.toggled.connect(self.changed)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class ChoiceEditor(Editor):
    """A closed list; an optional option's first entry says what leaving it out means."""

    def __init__(self, option: Option, label: Callable[[str], str] | None = None) -> None:
        super().__init__(option)
        self.combo = QComboBox()
        self.combo.setAccessibleName(option.title)
        choices = list(option.choices or ())
        label = label or option.choice_label
        if option.default is None and not option.required:
            if option.unset in choices:  # leaving it out means this choice
                choices.remove(option.unset)
                self.combo.addItem(label(option.unset), None)
            else:
                self.combo.addItem(option.unset or "(none)", None)
        for choice in choices:
            self.combo.addItem(label(choice), choice)
        self._row(self.combo, stretch=True)
        self.combo.currentIndexChanged.connect(self.changed)

    def value(self) -> str | None:
        data = self.combo.currentData()
        return None if data is None else str(data)

    def set_value(self, value: Any) -> None:
        if value == self.option.unset:
            value = None
        index = self.combo.findData(value)
        if index < 0 and value is not None:  # kept as it is: the schema will explain it
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))


class _DecimalSpinBox(QDoubleSpinBox):
    """Shows 120 and 1.5, not 120.00 and 1.50."""

    def textFromValue(self, value: float) -> str:
        return f"{value:g}"


class NumberEditor(Editor):
    """A number within the option's bounds; an optional one has a "not set" step below
    its minimum that says what that means ("as set in General", "never")."""

    def __init__(self, option: Option) -> None:
        super().__init__(option)
        spin: QSpinBox | QDoubleSpinBox
        spin = QSpinBox() if option.type is int else _DecimalSpinBox()
        if isinstance(spin, QDoubleSpinBox):
            spin.setDecimals(3)
        minimum = option.minimum if option.minimum is not None else 0
        maximum = option.maximum if option.maximum is not None else 10**9
        self.optional = option.default is None and not option.required
        if self.optional:
            minimum -= 1 if minimum >= 1 else minimum
            spin.setSpecialValueText(option.unset or "not set")
        if isinstance(spin, QSpinBox):
            spin.setRange(int(minimum), int(maximum))
        else:
            spin.setRange(minimum, maximum)
        spin.setSuffix(option.unit)
        spin.setAccessibleName(option.title)
        spin.setCorrectionMode(QSpinBox.CorrectionMode.CorrectToNearestValue)
        self.spin = spin
        self._row(spin, stretch=True)
        spin.valueChanged.connect(self.changed)

    def value(self) -> float | int | None:
        number = self.spin.value()
        if self.optional and number == self.spin.minimum():
            return None
        if self.option.type is int:
            return int(number)
        return int(number) if float(number).is_integer() else float(number)

    def set_value(self, value: Any) -> None:
        number = self.spin.minimum() if value is None else value
        if isinstance(self.spin, QSpinBox):
            self.spin.setValue(int(number))
        else:
            self.spin.setValue(float(number))


class TextEditor(Editor):
    def __init__(self, option: Option) -> None:
        super().__init__(option)
        self.line = QLineEdit()
        self.line.setPlaceholderText(option.placeholder or option.unset)
        self.line.setAccessibleName(option.title)
        self._row(self.line)
        self.line.textEdited.connect(self.changed)

    def value(self) -> Any:
        text = self.line.text()
        return text if text or self.option.required else None

    def set_value(self, value: Any) -> None:
        self.line.setText("" if value is None else str(value))

    def for_kind(self, kind: str | None) -> None:
        self.line.setPlaceholderText(self.option.placeholder_for(kind) or self.option.unset)


class AddressEditor(TextEditor):
    """An address typed without its scheme gets https:// when the field is left."""

    def __init__(self, option: Option) -> None:
        super().__init__(option)
        self.line.editingFinished.connect(self._complete)

    def _complete(self) -> None:
        completed = with_scheme(self.line.text())
        if completed != self.line.text():
            self.line.setText(completed)
            self.changed.emit()

    def value(self) -> Any:
        return self.line.text().strip()


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class NamesEditor(TextEditor):
    """A list of names, typed comma-separated."""

    def value(self) -> list[str] | None:
        return _split(self.line.text()) or None

    def set_value(self, value: Any) -> None:
        self.line.setText(", ".join(str(v) for v in value or ()))


class StatusCodesEditor(NamesEditor):
    def value(self) -> list[Any] | None:
        # What is not a number is kept as typed: the schema says what is wrong with it.
        codes = [int(p) if p.isdigit() else p for p in _split(self.line.text())]
        return codes or None


class HeadersEditor(Editor):
    """ "Name: value", one per line."""

    def __init__(self, option: Option) -> None:
        super().__init__(option)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(option.placeholder)
        self.text.setAccessibleName(option.title)
        self.text.setTabChangesFocus(True)
        line = self.text.fontMetrics().lineSpacing()
        self.text.setFixedHeight(line * 3 + 12)
        self._row(self.text)
        self.text.textChanged.connect(self.changed)

    def value(self) -> dict[str, str] | None:
        headers: dict[str, str] = {}
        for line in self.text.toPlainText().splitlines():
            name, _, value = line.partition(":")
            if name.strip():
                headers[name.strip()] = value.strip()
        return headers or None

    def set_value(self, value: Any) -> None:
        items = value.items() if isinstance(value, Mapping) else (value or ())
        self.text.setPlainText("\n".join(f"{k}: {v}" for k, v in items))


_RANGE = re.compile(r"^(\d\d:\d\d)-(\d\d:\d\d)$")


class TimeRangeEditor(Editor):
    """ "22:00-07:00" as a tick and two times; "" when not ticked."""

    def __init__(self, option: Option) -> None:
        super().__init__(option)
        self.enabled = QCheckBox("From")
        self.start = QTimeEdit(QTime(22, 0))
        self.end = QTimeEdit(QTime(7, 0))
        for edit, name in ((self.start, "from"), (self.end, "until")):
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName(f"{option.title} {name}")
            edit.timeChanged.connect(self.changed)
        self._row(self.enabled, self.start, QLabel("until"), self.end, stretch=True)
        self.enabled.toggled.connect(self._toggled)
        self._toggled(False)

    def _toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.changed.emit()

    def value(self) -> str:
        if not self.enabled.isChecked():
            return ""
        return f"{self.start.time().toString('HH:mm')}-{self.end.time().toString('HH:mm')}"

    def set_value(self, value: Any) -> None:
        match = _RANGE.match(str(value or ""))
        self.enabled.setChecked(match is not None)
        if match:
            self.start.setTime(QTime.fromString(match.group(1), "HH:mm"))
            self.end.setTime(QTime.fromString(match.group(2), "HH:mm"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "endpoint"


class KeyringEditor(Editor):
    """The token or password itself (stored in the OS keyring on Apply, never in the
    file), and the name the config knows it by."""

    def __init__(self, option: Option, keyring: str = "") -> None:
        super().__init__(option)
        self.value_line = QLineEdit()
        self.value_line.setEchoMode(QLineEdit.EchoMode.Password)
        self.value_line.setPlaceholderText("type to store a new one; empty keeps the stored one")
        self.value_line.setAccessibleName("Token or password")
        self.name_line = QLineEdit()
        self.name_line.setPlaceholderText(option.placeholder)
        self.name_line.setAccessibleName("Keyring entry")
        where = QLabel(f"Kept in {keyring or 'the keyring'}, never in the file, under the name:")
        where.setWordWrap(True)
        where.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.value_line)
        layout.addWidget(where)
        layout.addWidget(self.name_line)
        self.value_line.textEdited.connect(self.changed)
        self.name_line.textEdited.connect(self.changed)

    def value(self) -> str | None:
        return self.name_line.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.name_line.setText(str(value or ""))

    def load(self, raw: Mapping[str, Any]) -> None:
        super().load(raw)
        self.value_line.setText(str(raw.get(SECRET_VALUE, "")))

    def store(self, raw: dict[str, Any]) -> None:
        typed = self.value_line.text()
        if typed and not self.name_line.text().strip():
            # A newcomer types the token; the entry it goes to is named for them.
            self.name_line.setText(f"{_slug(str(raw.get('name', '')))}-secret")
        super().store(raw)
        if typed:
            raw[SECRET_VALUE] = typed
        else:
            raw.pop(SECRET_VALUE, None)


class PickerEditor(Editor):
    """A list chosen in a dialog (components, what an endpoint runs on): a summary of
    the choice and a button that asks for the dialog."""

    choose = Signal()

    def __init__(self, option: Option, describe: Callable[[list[str]], str]) -> None:
        super().__init__(option)
        self._describe = describe
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.button = QPushButton("Choose…")
        self.button.setAccessibleName(f"Choose {option.title.lower()}")
        self._row(self.summary, self.button).setStretch(0, 1)
        self.button.clicked.connect(self.choose)
        self._value: list[str] = []

    def value(self) -> list[str] | None:
        return list(self._value) or None

    def set_value(self, value: Any) -> None:
        self._value = [str(v) for v in value or ()]
        self.summary.setText(self._describe(self._value) if self._value else self.option.unset)
        self.summary.setToolTip("\n".join(self._value))

    def chosen(self, values: Sequence[str]) -> None:
        self.set_value(values)
        self.changed.emit()


EditorFactory = Callable[[Option], Editor]

_BY_EDITOR: dict[str, EditorFactory] = {
    "url": AddressEditor,
    "names": NamesEditor,
    "status_codes": StatusCodesEditor,
    "headers": HeadersEditor,
    "time_range": TimeRangeEditor,
    "keyring": KeyringEditor,
}


def make_editor(option: Option, overrides: Mapping[str, EditorFactory]) -> Editor:
    factory = overrides.get(option.editor) or _BY_EDITOR.get(option.editor)
    if factory is not None:
        return factory(option)
    if option.type is bool:
        return CheckEditor(option)
    if option.choices:
        return ChoiceEditor(option)
    if option.type in (int, float):
        return NumberEditor(option)
    if option.type is list:
        return NamesEditor(option)
    if option.type is dict:
        return HeadersEditor(option)
    return TextEditor(option)


class Field(QWidget):
    """An editor with its problem, when it has one, right under it (and its hint)."""

    def __init__(self, editor: Editor) -> None:
        super().__init__()
        self.editor = editor
        self.error = ErrorLabel()
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error)
        if editor.option.hint:
            hint = QLabel(editor.option.hint)
            hint.setWordWrap(True)
            hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(hint)

    def show_error(self, text: str | None) -> None:
        self.error.setText(sentence(text or ""))
        self.error.setVisible(bool(text))
        self.editor.setAccessibleDescription(text or "")


class SchemaForm(QWidget):
    """The form of a tuple of options, grouped by their sections."""

    changed = Signal()

    def __init__(
        self,
        options: tuple[Option, ...],
        editors: Mapping[str, EditorFactory] | None = None,
        *,
        sections: tuple[str, ...] = ("",),
    ) -> None:
        super().__init__()
        self.options = options
        self.editors: dict[str, Editor] = {}
        self.fields: dict[str, Field] = {}
        self.sections: dict[str, QGroupBox] = {}
        self._layouts: dict[str, QFormLayout] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        for section in sections:
            members = [o for o in options if o.section == section]
            if not members:
                continue
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            if section:
                box = QGroupBox(section)
                box.setLayout(form)
                self.sections[section] = box
                outer.addWidget(box)
            else:
                outer.addLayout(form)
            for option in members:
                editor = make_editor(option, editors or {})
                field = Field(editor)
                self.editors[option.name] = editor
                self.fields[option.name] = field
                self._layouts[option.name] = form
                if isinstance(editor, CheckEditor) or option.title == section:
                    form.addRow(field)  # its own words (or its section's) say what it is
                else:
                    label = QLabel(option.title)
                    label.setBuddy(editor)
                    label.setToolTip(sentence(option.help))
                    form.addRow(label, field)
                editor.changed.connect(self.changed)
        outer.addStretch(1)
        # One label column for every section, as if they were one form.
        labels: list[QLabel] = []
        for name, field in self.fields.items():
            buddy = self._layouts[name].labelForField(field)
            if isinstance(buddy, QLabel):
                labels.append(buddy)
        widest = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(widest)

    def load(self, raw: Mapping[str, Any]) -> None:
        for editor in self.editors.values():
            editor.load(raw)

    def store(self, raw: dict[str, Any]) -> None:
        """Write what the shown fields say into `raw`; what the other fields' values do
        not call for is left out (no user name without basic authentication)."""
        for name, editor in self.editors.items():
            if self._layouts[name].isRowVisible(self.fields[name]):
                editor.store(raw)
            elif not editor.option.asked(raw):
                raw.pop(name, None)
                if isinstance(editor, KeyringEditor):
                    raw.pop(SECRET_VALUE, None)
        if self.show_for(raw):
            self.store(raw)  # fields just shown hold what was typed in them before

    def show_for(self, raw: Mapping[str, Any]) -> bool:
        """Show what the table's kind offers and its values call for, and whatever it
        already sets (so nothing the file says is hidden); hide sections left empty.
        Whether a field appeared."""
        kind = raw.get("kind")
        appeared = False
        for name, field in self.fields.items():
            option = self.editors[name].option
            offered = option.offered_for(kind) or raw.get(name) is not None
            shown = offered and option.asked(raw)
            self.editors[name].for_kind(kind)
            layout = self._layouts[name]
            appeared |= shown and not layout.isRowVisible(field)
            layout.setRowVisible(field, shown)
        for section, box in self.sections.items():
            box.setVisible(
                any(
                    self._layouts[o.name].isRowVisible(self.fields[o.name])
                    for o in self.options
                    if o.section == section
                )
            )
        return appeared

    def show_errors(self, errors: Mapping[str, str]) -> None:
        for name, field in self.fields.items():
            field.show_error(errors.get(name))

    def first_error(self) -> Field | None:
        return next((f for f in self.fields.values() if f.error.isVisibleTo(self)), None)


def warning_icon(widget: QWidget) -> QLabel:
    """A warning sign beside a message, so that it is not told by colour alone."""
    icon = QLabel()
    size = widget.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    icon.setPixmap(
        widget.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
    )
    return icon
