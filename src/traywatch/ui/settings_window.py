"""The settings window: services (from the catalog, by address, own endpoints),
notifications and general options. It edits a working copy; Apply validates it
with the same declared schema as the config file, shows each problem next to its
field (nothing typed is lost), stores secrets in the OS keyring, and writes the
file atomically. Cancel changes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from traywatch.config.schema import (
    MIN_INTERVAL,
    SERVICE_OPTIONS,
    SEVERITY_NAMES,
    Config,
    ServiceConfig,
    validate,
)
from traywatch.core.errors import ConfigError
from traywatch.core.runs_on import SEPARATOR
from traywatch.providers import KINDS
from traywatch.ui.settings_dialogs import AddByUrlDialog, CatalogDialog, ComponentsDialog, Probe

SECRET_VALUE = "_secret_value"  # typed in the form, stored in the keyring, never in the file
ERROR_STYLE = "color: #c01c28;"


def service_to_raw(service: ServiceConfig) -> dict[str, Any]:
    """The TOML-shaped table of a service: only what differs from the defaults."""
    raw: dict[str, Any] = {}
    for option in SERVICE_OPTIONS:
        value = getattr(service, option.name)
        if value is None or (not option.required and value == option.default):
            continue
        if option.type is dict:
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        raw[option.name] = value
    return raw


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class _Field(QWidget):
    """An input with its error message right under it."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.widget = widget
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.error)

    def show_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))
        self.widget.setAccessibleDescription(text or "")


class SettingsWindow(QDialog):
    applied = Signal(object)  # the new Config, written to disk

    def __init__(
        self,
        config: Config,
        path: Path,
        *,
        probe: Probe,
        store_secret: Callable[[str, str, bool], str | None],
        keyring_status: str,
        keyring_secure: bool = True,
        autostart: tuple[Callable[[], bool], Callable[[bool], None]] | None = None,
        components_of: Callable[[str], list[str]] = lambda _service: [],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._components_of = components_of
        self.setWindowTitle("traywatch settings")
        self.resize(880, 600)
        self._config = config
        self._path = path
        self._probe = probe
        self._store_secret = store_secret
        self._autostart = autostart
        self._services: list[dict[str, Any]] = [service_to_raw(s) for s in config.services]
        self._current = -1
        self._loading = False
        self.fields: dict[str, _Field] = {}
        self._problems: list[str] = []
        self._task: asyncio.Future[None] | None = None  # the running check, kept alive

        self.tabs = QTabWidget()
        self.tabs.addTab(self._services_page(), "Services")
        self.tabs.addTab(self._notifications_page(), "Notifications")
        self.tabs.addTab(self._general_page(keyring_status, keyring_secure), "General")
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._refresh_list()
        if self._services:
            self.service_list.setCurrentRow(0)

    # -- the services page ----------------------------------------------------------------

    def _services_page(self) -> QWidget:
        self.service_list = QListWidget()
        self.service_list.setAccessibleName("Watched services")
        self.service_list.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.service_list.currentRowChanged.connect(self._select)
        add_catalog = QPushButton("Add from catalog…")
        add_catalog.clicked.connect(self._add_from_catalog)
        add_url = QPushButton("Add by address…")
        add_url.clicked.connect(self._add_by_url)
        add_own = QPushButton("Add own endpoint")
        add_own.clicked.connect(self._add_endpoint)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove)
        up = QPushButton("Up")
        up.clicked.connect(lambda: self._move(-1))
        down = QPushButton("Down")
        down.clicked.connect(lambda: self._move(1))
        left = QVBoxLayout()
        left.addWidget(self.service_list, 1)
        for button in (add_catalog, add_url, add_own):
            left.addWidget(button)
        order = QHBoxLayout()
        for button in (self.remove_button, up, down):
            order.addWidget(button)
        left.addLayout(order)

        self.form_box = QGroupBox("Service")
        form = QFormLayout(self.form_box)
        self.name = self._line(form, "name", "Name")
        self.url = self._line(form, "url", "Address")
        self.kind = QComboBox()
        self.kind.addItem("detect automatically", None)
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.kind.addItem("http (my own endpoint)", "http")
        self._add(form, "kind", "Kind", self.kind)
        self.interval = QSpinBox()
        self.interval.setRange(int(MIN_INTERVAL) - 1, 86400)
        self.interval.setSpecialValueText("as in General")
        self.interval.setSuffix(" s")
        self._add(form, "interval", "Check every", self.interval)
        flags = QWidget()
        flags_layout = QHBoxLayout(flags)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        self.enabled = QCheckBox("Enabled")
        self.mute = QCheckBox("Mute")
        self.notify_updates = QCheckBox("Notify every incident update")
        for box in (self.enabled, self.mute, self.notify_updates):
            flags_layout.addWidget(box)
        form.addRow("", flags)
        self.region = self._line(form, "region", "Region", "e.g. us-east-1 (aws, azure)")
        self.products = self._line(form, "products", "Products", "comma-separated")
        components = QWidget()
        components_layout = QHBoxLayout(components)
        components_layout.setContentsMargins(0, 0, 0, 0)
        self.components = QLineEdit()
        self.components.setPlaceholderText("all components")
        self.components.setAccessibleName("Watched components")
        self.choose_components = QPushButton("Choose…")
        self.choose_components.clicked.connect(self._choose_components)
        components_layout.addWidget(self.components, 1)
        components_layout.addWidget(self.choose_components)
        self._add(form, "components", "Watched components", components)
        self.depends_on = QListWidget()
        self.depends_on.setAccessibleName("Runs on")
        self.depends_on.setMaximumHeight(150)
        self._add(form, "depends_on", "Runs on", self.depends_on)

        self.http_box = QGroupBox("Own endpoint")
        http = QFormLayout(self.http_box)
        self.method = QComboBox()
        self.method.addItems(["GET", "HEAD"])
        self._add(http, "method", "Method", self.method)
        self.expect_status = self._line(http, "expect_status", "Status codes", "200-399")
        self.body_contains = self._line(http, "body_contains", "Body contains")
        self.body_regex = self._line(http, "body_regex", "Body matches", "a regular expression")
        self.degraded_after = QDoubleSpinBox()
        self.degraded_after.setRange(0, 120)
        self.degraded_after.setDecimals(2)
        self.degraded_after.setSpecialValueText("never")
        self.degraded_after.setSuffix(" s")
        self._add(http, "degraded_after", "Degraded after", self.degraded_after)
        self.headers = QPlainTextEdit()
        self.headers.setPlaceholderText("Name: value, one per line")
        self.headers.setMaximumHeight(60)
        self._add(http, "headers", "Headers", self.headers)
        self.auth = QComboBox()
        self.auth.addItem("none", None)
        self.auth.addItem("bearer token", "bearer")
        self.auth.addItem("basic (user and password)", "basic")
        self._add(http, "auth", "Authentication", self.auth)
        self.username = self._line(http, "username", "User")
        self.secret = self._line(http, "secret", "Keyring entry", "e.g. my-app-token")
        self.secret_value = QLineEdit()
        self.secret_value.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_value.setPlaceholderText("type to store a new token or password")
        self.secret_value.setAccessibleName("Secret value")
        self._add(http, "secret_value", "Token or password", self.secret_value)

        forms = QWidget()
        right = QVBoxLayout(forms)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.form_box)
        right.addWidget(self.http_box)
        right.addStretch(1)
        scroll = QScrollArea()  # the endpoint form is taller than small screens
        scroll.setWidget(forms)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.addLayout(left, 2)
        layout.addWidget(scroll, 5)
        for widget in (
            self.name,
            self.url,
            self.region,
            self.products,
            self.components,
            self.expect_status,
            self.body_contains,
            self.body_regex,
            self.username,
            self.secret,
            self.secret_value,
        ):
            widget.textEdited.connect(self._store_form)
        self.headers.textChanged.connect(self._store_form)
        for combo in (self.kind, self.method, self.auth):
            combo.currentIndexChanged.connect(self._store_form)
        for spin in (self.interval, self.degraded_after):
            spin.valueChanged.connect(self._store_form)
        for box in (self.enabled, self.mute, self.notify_updates):
            box.toggled.connect(self._store_form)
        self.depends_on.itemChanged.connect(self._store_form)
        return page

    def _line(self, form: QFormLayout, key: str, label: str, hint: str = "") -> QLineEdit:
        line = QLineEdit()
        line.setPlaceholderText(hint)
        line.setAccessibleName(label)
        self._add(form, key, label, line)
        return line

    def _add(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        field = _Field(widget)
        self.fields[f"service.{key}"] = field
        form.addRow(label, field)

    def _refresh_list(self) -> None:
        row = self.service_list.currentRow()
        self.service_list.blockSignals(True)
        self.service_list.clear()
        for raw in self._services:
            self.service_list.addItem(str(raw.get("name") or "(unnamed)"))
        self.service_list.blockSignals(False)
        if self._services:
            self.service_list.setCurrentRow(min(max(row, 0), len(self._services) - 1))
        self.form_box.setEnabled(bool(self._services))
        self.remove_button.setEnabled(bool(self._services))

    def _select(self, row: int) -> None:
        self._current = row
        if not 0 <= row < len(self._services):
            return
        raw = self._services[row]
        self._loading = True
        try:
            self.name.setText(str(raw.get("name", "")))
            self.url.setText(str(raw.get("url", "")))
            self.kind.setCurrentIndex(max(0, self.kind.findData(raw.get("kind"))))
            self.interval.setValue(int(raw.get("interval", MIN_INTERVAL - 1)))
            self.enabled.setChecked(bool(raw.get("enabled", True)))
            self.mute.setChecked(bool(raw.get("mute", False)))
            self.notify_updates.setChecked(bool(raw.get("notify_updates", False)))
            self.region.setText(str(raw.get("region", "")))
            self.products.setText(", ".join(raw.get("products", [])))
            self.components.setText(", ".join(raw.get("components", [])))
            self._fill_depends_on(raw)
            self.method.setCurrentText(str(raw.get("method", "GET")))
            self.expect_status.setText(", ".join(str(s) for s in raw.get("expect_status", [])))
            self.body_contains.setText(str(raw.get("body_contains", "")))
            self.body_regex.setText(str(raw.get("body_regex", "")))
            self.degraded_after.setValue(float(raw.get("degraded_after", 0)))
            headers = raw.get("headers", {})
            self.headers.setPlainText("\n".join(f"{k}: {v}" for k, v in headers.items()))
            self.auth.setCurrentIndex(max(0, self.auth.findData(raw.get("auth"))))
            self.username.setText(str(raw.get("username", "")))
            self.secret.setText(str(raw.get("secret", "")))
            self.secret_value.setText(str(raw.get(SECRET_VALUE, "")))
        finally:
            self._loading = False
        self.http_box.setVisible(raw.get("kind") == "http")
        self._show_errors(self._errors_of(row))

    def _fill_depends_on(self, raw: dict[str, Any]) -> None:
        """Every other service, and under each the components its page lists now: an
        endpoint can run on "Heroku" or only on "Heroku: Apps"."""
        self.depends_on.clear()
        chosen = [str(e) for e in raw.get("depends_on", [])]
        entries: list[tuple[str, str]] = []  # (value, label)
        for other in self._services:
            name = str(other.get("name", ""))
            if other is raw or not name:
                continue
            entries.append((name, name))
            for part in self._components_of(name):
                entries.append((f"{name}{SEPARATOR}{part}", f"    {part}"))
        known = {value for value, _ in entries}
        entries += [(value, value) for value in chosen if value not in known]
        for value, label in entries:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setToolTip(value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = value in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.depends_on.addItem(item)

    def _store_form(self, *_args: object) -> None:
        """Every edit goes into the working copy at once: nothing typed is ever lost."""
        if self._loading or not 0 <= self._current < len(self._services):
            return
        raw: dict[str, Any] = {"name": self.name.text().strip(), "url": self.url.text().strip()}
        optional: dict[str, Any] = {
            "kind": self.kind.currentData(),
            "interval": self.interval.value() if self.interval.value() >= MIN_INTERVAL else None,
            "enabled": None if self.enabled.isChecked() else False,
            "mute": True if self.mute.isChecked() else None,
            "notify_updates": True if self.notify_updates.isChecked() else None,
            "region": self.region.text().strip() or None,
            "products": _split(self.products.text()) or None,
            "components": _split(self.components.text()) or None,
            "depends_on": [
                str(self.depends_on.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.depends_on.count())
                if self.depends_on.item(i).checkState() is Qt.CheckState.Checked
            ]
            or None,
        }
        if optional["kind"] == "http":
            optional.update(self._http_form())
        raw.update({k: v for k, v in optional.items() if v is not None})
        old_name = self._services[self._current].get("name")
        self._services[self._current] = raw
        if old_name != raw["name"]:
            self.service_list.item(self._current).setText(raw["name"] or "(unnamed)")
        self.http_box.setVisible(raw.get("kind") == "http")

    def _http_form(self) -> dict[str, Any]:
        statuses: list[Any] = []
        for part in _split(self.expect_status.text()):
            statuses.append(int(part) if part.isdigit() else part)  # bad ones: the schema says
        headers = {}
        for line in self.headers.toPlainText().splitlines():
            name, _, value = line.partition(":")
            if name.strip():
                headers[name.strip()] = value.strip()
        return {
            "method": None if self.method.currentText() == "GET" else self.method.currentText(),
            "expect_status": statuses or None,
            "body_contains": self.body_contains.text() or None,
            "body_regex": self.body_regex.text() or None,
            "degraded_after": self.degraded_after.value() or None,
            "headers": headers or None,
            "auth": self.auth.currentData(),
            "username": self.username.text().strip() or None,
            "secret": self.secret.text().strip() or None,
            SECRET_VALUE: self.secret_value.text() or None,
        }

    def _add_service(self, raw: dict[str, Any]) -> None:
        names = {str(s.get("name", "")).casefold() for s in self._services}
        if str(raw.get("name", "")).casefold() in names:
            self.message.setText(f"{raw['name']} is already watched.")
            return
        self._services.append(raw)
        self._refresh_list()
        self.service_list.setCurrentRow(len(self._services) - 1)

    def _add_from_catalog(self) -> None:
        dialog = CatalogDialog(self)

        def add_chosen() -> None:
            for entry in dialog.chosen:
                self._add_service(service_to_raw(entry.service()))

        dialog.accepted.connect(add_chosen)
        dialog.open()  # never exec() inside the asyncio loop

    def _add_by_url(self) -> None:
        dialog = AddByUrlDialog(self._probe, self)

        def add_checked() -> None:
            if dialog.service is not None:
                self._add_service(service_to_raw(dialog.service))

        dialog.accepted.connect(add_checked)
        dialog.open()

    def _add_endpoint(self) -> None:
        self._add_service({"name": "my-app", "url": "https://", "kind": "http"})

    def _remove(self) -> None:
        if 0 <= self._current < len(self._services):
            del self._services[self._current]
            self._refresh_list()
            if self._services:
                self._select(self.service_list.currentRow())

    def _move(self, step: int) -> None:
        row, target = self._current, self._current + step
        if 0 <= row < len(self._services) and 0 <= target < len(self._services):
            self._services[row], self._services[target] = (
                self._services[target],
                self._services[row],
            )
            self._refresh_list()
            self.service_list.setCurrentRow(target)

    def _choose_components(self) -> None:
        raw = dict(self._services[self._current])
        self.choose_components.setEnabled(False)
        self.message.setText(f"Reading the components of {raw.get('name')}…")

        async def pick() -> None:
            try:
                service = ServiceConfig(
                    name=str(raw.get("name") or "x"), url=str(raw.get("url")), kind=raw.get("kind")
                )
                result = await self._probe(service)
            finally:
                self.choose_components.setEnabled(True)
            if not result.found:
                self.message.setText(f"Could not read the components: {result.error}")
                return
            self.message.setText("")
            dialog = ComponentsDialog(result.components, tuple(raw.get("components", ())), self)
            dialog.accepted.connect(lambda: self._set_components(dialog.chosen))
            dialog.open()

        self._task = asyncio.ensure_future(pick())

    def _set_components(self, chosen: tuple[str, ...]) -> None:
        self.components.setText(", ".join(chosen))
        self._store_form()

    # -- notifications and general ----------------------------------------------------------

    def _notifications_page(self) -> QWidget:
        settings = self._config.notifications
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.min_severity = QComboBox()
        for name in SEVERITY_NAMES:
            self.min_severity.addItem(name.replace("_", " ").capitalize(), name)
        self.min_severity.setCurrentIndex(self.min_severity.findData(settings.min_severity))
        self._global(form, "notifications.min_severity", "Notify from", self.min_severity)
        self.flap_polls = QSpinBox()
        self.flap_polls.setRange(1, 10)
        self.flap_polls.setValue(settings.flap_polls)
        self.flap_polls.setSuffix(" polls")
        self._global(form, "notifications.flap_polls", "A change must hold for", self.flap_polls)
        quiet = QWidget()
        quiet_layout = QHBoxLayout(quiet)
        quiet_layout.setContentsMargins(0, 0, 0, 0)
        self.quiet_enabled = QCheckBox("from")
        self.quiet_from = QTimeEdit()
        self.quiet_to = QTimeEdit()
        for edit in (self.quiet_from, self.quiet_to):
            edit.setDisplayFormat("HH:mm")
        start, _, end = settings.quiet_hours.partition("-")
        self.quiet_enabled.setChecked(bool(settings.quiet_hours))
        self.quiet_from.setTime(QTime.fromString(start or "22:00", "HH:mm"))
        self.quiet_to.setTime(QTime.fromString(end or "07:00", "HH:mm"))
        for widget in (self.quiet_enabled, self.quiet_from, QLabel("to"), self.quiet_to):
            quiet_layout.addWidget(widget)
        quiet_layout.addStretch(1)
        self._global(form, "notifications.quiet_hours", "Quiet hours", quiet)
        self.allow_major = QCheckBox("Major outages still notify in quiet hours")
        self.allow_major.setChecked(settings.quiet_hours_allow_major)
        form.addRow("", self.allow_major)
        self.storm_limit = QSpinBox()
        self.storm_limit.setRange(1, 20)
        self.storm_limit.setValue(settings.storm_limit)
        self.storm_limit.setSuffix(" a minute, then one summary")
        self._global(form, "notifications.storm_limit", "At most", self.storm_limit)
        self.sound = QCheckBox("Play a sound")
        self.sound.setChecked(settings.sound)
        form.addRow("", self.sound)
        return page

    def _general_page(self, keyring_status: str, keyring_secure: bool) -> QWidget:
        settings = self._config.settings
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.default_interval = QSpinBox()
        self.default_interval.setRange(int(MIN_INTERVAL), 86400)
        self.default_interval.setValue(int(settings.interval))
        self.default_interval.setSuffix(" s")
        self._global(form, "settings.interval", "Check every", self.default_interval)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 120)
        self.timeout.setValue(settings.timeout)
        self.timeout.setSuffix(" s")
        self._global(form, "settings.timeout", "Give up after", self.timeout)
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 64)
        self.concurrency.setValue(settings.concurrency)
        self._global(form, "settings.concurrency", "Pages at once", self.concurrency)
        self.start_at_login = QCheckBox("Start traywatch when I log in")
        if self._autostart is not None:
            self.start_at_login.setChecked(self._autostart[0]())
        else:
            self.start_at_login.setEnabled(False)
        form.addRow("", self.start_at_login)
        self.start_hidden = QCheckBox("Start in the tray only (no window)")
        self.start_hidden.setChecked(settings.start_hidden)
        form.addRow("", self.start_hidden)
        secrets = QLabel(f"Secrets are kept in: {keyring_status}")
        secrets.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Keyring", secrets)
        self.allow_plaintext = QCheckBox(
            "Keep secrets in this plain-file keyring anyway (anyone who can read your files "
            "can read them)"
        )
        self.allow_plaintext.setVisible(not keyring_secure)
        form.addRow("", self.allow_plaintext)
        transfer = QWidget()
        transfer_layout = QHBoxLayout(transfer)
        transfer_layout.setContentsMargins(0, 0, 0, 0)
        import_button = QPushButton("Import watchlist…")
        import_button.clicked.connect(self._import)
        export_button = QPushButton("Export watchlist…")
        export_button.clicked.connect(self._export)
        transfer_layout.addWidget(import_button)
        transfer_layout.addWidget(export_button)
        transfer_layout.addStretch(1)
        form.addRow("", transfer)
        return page

    def _global(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        field = _Field(widget)
        self.fields[key] = field
        form.addRow(label, field)

    def _import(self) -> None:
        dialog = QFileDialog(self, "Import watchlist", "", "TOML files (*.toml)")
        dialog.fileSelected.connect(self._import_file)
        dialog.open()

    def _import_file(self, name: str) -> None:
        from traywatch.config import load_config

        try:
            incoming = load_config(name)
        except ConfigError as exc:
            self.message.setText(f"Not imported: {exc}")
            return
        for service in incoming.services:
            self._add_service(service_to_raw(service))

    def _export(self) -> None:
        dialog = QFileDialog(self, "Export watchlist", "watchlist.toml", "TOML files (*.toml)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(self._export_file)
        dialog.open()

    def _export_file(self, name: str) -> None:
        from traywatch.config.store import export_watchlist

        try:
            config = self._validated()
        except ConfigError:
            return
        try:
            export_watchlist(config, Path(name))  # no credentials, as `traywatch export`
        except ConfigError as exc:
            self.message.setText(f"Not exported: {exc}")
            self.message.setStyleSheet(ERROR_STYLE)
            return
        self.message.setText(f"Exported {len(config.services)} services to {name}.")

    # -- applying -------------------------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        quiet = ""
        if self.quiet_enabled.isChecked():
            start = self.quiet_from.time().toString("HH:mm")
            quiet = f"{start}-{self.quiet_to.time().toString('HH:mm')}"
        return {
            "settings": {
                "interval": self.default_interval.value(),
                "timeout": self.timeout.value(),
                "concurrency": self.concurrency.value(),
                "start_hidden": self.start_hidden.isChecked(),
            },
            "notifications": {
                "min_severity": self.min_severity.currentData(),
                "flap_polls": self.flap_polls.value(),
                "quiet_hours": quiet,
                "quiet_hours_allow_major": self.allow_major.isChecked(),
                "storm_limit": self.storm_limit.value(),
                "sound": self.sound.isChecked(),
            },
            "services": [
                {k: v for k, v in raw.items() if k != SECRET_VALUE} for raw in self._services
            ],
        }

    def _validated(self) -> Config:
        self._store_form()
        try:
            config = validate(self._data(), self._path)
        except ConfigError as exc:
            self._problems = exc.problems
            self._show_errors(self._errors_of(self._current))
            bad = sorted({p.split("]")[0] + "]" for p in exc.problems if p.startswith("services[")})
            where = f" (see {', '.join(bad)})" if bad else ""
            self.message.setText(f"Not saved: {len(exc.problems)} problem(s){where}.")
            self.message.setStyleSheet(ERROR_STYLE)
            raise
        self._problems = []
        self._show_errors({})
        return config

    def _errors_of(self, row: int) -> dict[str, str]:
        """Problems of the service at `row` and of the global settings, by field key."""
        found: dict[str, str] = {}
        prefix = f"services[{row}]."
        for problem in self._problems:
            key, _, text = problem.partition(": ")
            if key.startswith(prefix):
                found["service." + key[len(prefix) :]] = text
            elif key.startswith(("settings.", "notifications.")):
                found[key] = text
        return found

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, field in self.fields.items():
            field.show_error(errors.get(key))

    def apply(self) -> bool:
        try:
            config = self._validated()
        except ConfigError:
            return False
        for raw in self._services:
            value = raw.get(SECRET_VALUE)
            if value and raw.get("secret"):
                problem = self._store_secret(
                    str(raw["secret"]), str(value), self.allow_plaintext.isChecked()
                )
                if problem:
                    self.service_list.setCurrentRow(self._services.index(raw))
                    self.fields["service.secret_value"].show_error(problem)
                    self.message.setText("Not saved: the secret could not be stored.")
                    self.message.setStyleSheet(ERROR_STYLE)
                    return False
                del raw[SECRET_VALUE]
        self.secret_value.clear()
        from traywatch.config import write_config

        try:
            write_config(config, self._path)
        except (OSError, ConfigError) as exc:
            self.message.setText(f"Not saved: {exc}")
            self.message.setStyleSheet(ERROR_STYLE)
            return False
        if self._autostart is not None and self.start_at_login.isChecked() != self._autostart[0]():
            self._autostart[1](self.start_at_login.isChecked())
        self._config = config
        self.message.setStyleSheet("")
        self.message.setText(f"Saved to {self._path}; applied.")
        self.applied.emit(config)
        return True

    def _ok(self) -> None:
        if self.apply():
            self.accept()
