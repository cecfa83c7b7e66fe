"""The settings window: services (from the catalog, by address, own endpoints),
notifications and general options, each page's form generated from the declared
options (config/schema.py), per kind of service.

It edits a working copy of the file's tables; Apply validates it with the same schema
as the config file, shows each problem next to its field (nothing typed is lost),
stores secrets in the OS keyring, and writes the file atomically. Cancel changes
nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from traywatch import catalog
from traywatch.config.schema import (
    ENDPOINT,
    NOTIFICATION_OPTIONS,
    NOTIFICATION_SECTIONS,
    SERVICE_OPTIONS,
    SERVICE_SECTIONS,
    SETTINGS_OPTIONS,
    SETTINGS_SECTIONS,
    Config,
    Option,
    ServiceConfig,
    validate,
)
from traywatch.core.errors import ConfigError, FieldProblem
from traywatch.core.model import Component
from traywatch.ui.schema_form import (
    SECRET_VALUE,
    ChoiceEditor,
    Editor,
    ErrorLabel,
    KeyringEditor,
    PickerEditor,
    SchemaForm,
    sentence,
    warning_icon,
)
from traywatch.ui.settings_dialogs import (
    DETAIL_ROLE,
    AddByUrlDialog,
    CatalogDialog,
    ComponentsDialog,
    Probe,
    RunsOnDialog,
    TwoLineDelegate,
    fit_to_screen,
    kind_title,
    runs_on_words,
)
from traywatch.ui.style import readable_ticks

ComponentsOf = Callable[[str], Sequence[Component]]
TABLE_TITLES = {"settings": "General", "notifications": "Notifications"}


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
        components_of: ComponentsOf = lambda _service: (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        readable_ticks()
        self.setWindowTitle("traywatch settings")
        fit_to_screen(self, 940, 680)
        self._config = config
        self._path = path
        self._probe = probe
        self._store_secret = store_secret
        self._autostart = autostart
        self._components_of = components_of
        self._keyring = keyring_status
        self._services: list[dict[str, Any]] = [service_to_raw(s) for s in config.services]
        self._current = -1
        self._loading = False
        self._problems: tuple[FieldProblem, ...] = ()
        self._task: asyncio.Future[None] | None = None  # the running check, kept alive

        self.tabs = QTabWidget()
        self.tabs.addTab(self._services_page(), "Services")
        self.tabs.addTab(self._notifications_page(), "Notifications")
        self.tabs.addTab(self._general_page(keyring_secure), "General")
        self.message_icon = warning_icon(self)
        self.message_icon.setVisible(False)
        self.message = ErrorLabel(as_error=False)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.addWidget(self.message_icon, 0, Qt.AlignmentFlag.AlignTop)
        bar.addWidget(self.message, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        assert apply_button is not None
        apply_button.clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bar)
        layout.addWidget(buttons)
        self._refresh_list()
        self._select(self.service_list.currentRow())

    # -- the services page ----------------------------------------------------------------

    def _services_page(self) -> QWidget:
        self.service_list = QListWidget()
        self.service_list.setAccessibleName("Watched services")
        self.service_list.setItemDelegate(TwoLineDelegate(self.service_list))
        self.service_list.currentRowChanged.connect(self._select)
        self.add_catalog_button = QPushButton("Add from the catalog…")
        self.add_catalog_button.setToolTip("Hundreds of platforms' status pages, ready to watch")
        self.add_catalog_button.clicked.connect(self.add_from_catalog)
        self.add_url_button = QPushButton("Add a status page by address…")
        self.add_url_button.clicked.connect(self.add_by_url)
        self.add_endpoint_button = QPushButton("Add my own endpoint")
        self.add_endpoint_button.setToolTip(
            "An address of yours, checked directly: is it them or me?"
        )
        self.add_endpoint_button.clicked.connect(self.add_endpoint)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove)
        self.up_button = QPushButton("Move up")
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.clicked.connect(lambda: self._move(1))
        left = QVBoxLayout()
        left.addWidget(self.service_list, 1)
        order = QHBoxLayout()
        for button in (self.remove_button, self.up_button, self.down_button):
            order.addWidget(button)
        left.addLayout(order)
        for button in (self.add_catalog_button, self.add_url_button, self.add_endpoint_button):
            left.addWidget(button)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMaximumWidth(320)

        self.form = SchemaForm(
            SERVICE_OPTIONS,
            {
                "kind": lambda option: ChoiceEditor(option, label=kind_title),
                "components": self._components_editor,
                "runs_on": self._runs_on_editor,
                "keyring": lambda option: KeyringEditor(option, self._keyring),
            },
            sections=SERVICE_SECTIONS,
        )
        self.form.changed.connect(self._store_form)
        self.empty = QLabel(
            "You watch nothing yet. Add the platforms you depend on from the catalog, any "
            "status page by its address, or an endpoint of your own."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        forms = QWidget()
        right = QVBoxLayout(forms)
        right.setContentsMargins(0, 0, 6, 0)
        right.addWidget(self.empty)
        right.addWidget(self.form)
        self.form_scroll = QScrollArea()  # an endpoint's form is taller than small screens
        self.form_scroll.setWidget(forms)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.addWidget(left_box, 2)
        layout.addWidget(self.form_scroll, 5)
        return page

    def _components_editor(self, option: Option) -> Editor:
        editor = PickerEditor(option, self._describe_components)
        editor.choose.connect(lambda: self._choose_components(editor))
        return editor

    def _runs_on_editor(self, option: Option) -> Editor:
        editor = PickerEditor(option, self._describe_runs_on)
        editor.choose.connect(lambda: self._choose_runs_on(editor))
        return editor

    def _describe_components(self, chosen: list[str]) -> str:
        """ "Apps, Data — 2 of 3 components" (when the page's list is known)."""
        said = ", ".join(chosen)
        if not 0 <= self._current < len(self._services):
            return said
        components = self._components_of(str(self._services[self._current].get("name", "")))
        wanted = {c.casefold() for c in chosen}
        counted = sum(
            1
            for c in components
            if c.name.casefold() in wanted or (c.group or "").casefold() in wanted
        )
        return f"{said} — {counted} of {len(components)} components" if components else said

    def _describe_runs_on(self, chosen: list[str]) -> str:
        return runs_on_words(chosen, [str(s.get("name", "")) for s in self._services])

    def _label(self, raw: Mapping[str, Any]) -> str:
        return str(raw.get("name") or "(no name yet)")

    def _detail(self, raw: Mapping[str, Any]) -> str:
        """ "Statuspage · githubstatus.com", "My own endpoint · shop.example.com"."""
        kind = raw.get("kind")
        what = (
            "My own endpoint" if kind == ENDPOINT else kind_title(kind) if kind else "Status page"
        )
        host = catalog.page_of(str(raw.get("url", ""))).split("/")[0]
        return f"{what} · {host}" if host else what

    def _refresh_list(self) -> None:
        row = self.service_list.currentRow()
        bad = {p.index for p in self._problems if p.table == "services"}
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.service_list.blockSignals(True)
        self.service_list.clear()
        for index, raw in enumerate(self._services):
            item = QListWidgetItem(self._label(raw))
            item.setData(DETAIL_ROLE, self._detail(raw))
            item.setToolTip(f"{kind_title(raw.get('kind'))}\n{raw.get('url', '')}")
            if index in bad:
                item.setIcon(warning)
                item.setToolTip("Something here needs fixing\n" + item.toolTip())
            self.service_list.addItem(item)
        self.service_list.blockSignals(False)
        if self._services:
            self.service_list.setCurrentRow(min(max(row, 0), len(self._services) - 1))
        has = bool(self._services)
        self.form.setVisible(has)
        self.empty.setVisible(not has)
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(has)

    def _select(self, row: int) -> None:
        self._current = row
        if not 0 <= row < len(self._services):
            return
        raw = self._services[row]
        self._loading = True
        try:
            self.form.load(raw)
            self.form.show_for(raw)
        finally:
            self._loading = False
        self._show_errors()

    def _store_form(self) -> None:
        """Every edit goes into the working copy at once: nothing typed is ever lost."""
        if self._loading or not 0 <= self._current < len(self._services):
            return
        raw = self._services[self._current]
        self.form.store(raw)
        item = self.service_list.item(self._current)
        if item is not None:
            item.setText(self._label(raw))
            item.setData(DETAIL_ROLE, self._detail(raw))

    def _add_service(self, raw: dict[str, Any]) -> bool:
        """Add a table; a name already used is said, and the existing one shown."""
        name = str(raw.get("name", ""))
        taken = [str(s.get("name", "")).casefold() for s in self._services]
        if name.casefold() in taken:
            self.service_list.setCurrentRow(taken.index(name.casefold()))
            self._say(f"{name} is already in your list; it is selected.")
            return False
        self._services.append(raw)
        self._refresh_list()
        self.service_list.setCurrentRow(len(self._services) - 1)
        return True

    def _service_configs(self) -> list[ServiceConfig]:
        """The working copy's services that can be read (for what is watched already)."""
        found = []
        for raw in self._services:
            name, url = raw.get("name"), raw.get("url")
            if isinstance(name, str) and isinstance(url, str):
                found.append(ServiceConfig(name=name, url=url, kind=raw.get("kind")))
        return found

    def add_from_catalog(self) -> CatalogDialog:
        dialog = CatalogDialog(catalog.watched(self._service_configs()), self)

        def add_chosen() -> None:
            added = [
                e.name for e in dialog.chosen if self._add_service(service_to_raw(e.service()))
            ]
            if added:
                self._say(
                    f"Added {', '.join(added)}. Apply to start watching; pick what counts under "
                    "“Watched components”."
                )

        dialog.accepted.connect(add_chosen)
        dialog.add_by_address.connect(self.add_by_url)
        dialog.open()  # never exec() inside the asyncio loop
        self.catalog_dialog = dialog
        return dialog

    def add_by_url(self) -> AddByUrlDialog:
        dialog = AddByUrlDialog(self._probe, self, services=self._service_configs())

        def add_checked() -> None:
            if dialog.service is not None and self._add_service(service_to_raw(dialog.service)):
                self._say(f"Added {dialog.service.name}. Apply to start watching.")

        dialog.accepted.connect(add_checked)
        dialog.open()
        self.add_by_url_dialog = dialog
        return dialog

    def add_endpoint(self) -> None:
        taken = {str(s.get("name", "")).casefold() for s in self._services}
        name, number = "My endpoint", 2
        while name.casefold() in taken:
            name, number = f"My endpoint {number}", number + 1
        self._add_service({"name": name, "url": "", "kind": ENDPOINT})
        self.form.editors["url"].setFocus()
        self._say(
            "Give your endpoint a name and its address; “Runs on” says which platforms it "
            "depends on, so that a failure tells you whether they are the reason."
        )

    def _remove(self) -> None:
        if 0 <= self._current < len(self._services):
            del self._services[self._current]
            self._problems = ()
            self._refresh_list()
            self._select(self.service_list.currentRow())

    def _move(self, step: int) -> None:
        row, target = self._current, self._current + step
        if 0 <= row < len(self._services) and 0 <= target < len(self._services):
            self._services[row], self._services[target] = (
                self._services[target],
                self._services[row],
            )
            self._problems = ()
            self._refresh_list()
            self.service_list.setCurrentRow(target)

    # -- pickers ---------------------------------------------------------------------------

    def _choose_components(self, editor: PickerEditor) -> None:
        raw = dict(self._services[self._current])
        name = str(raw.get("name") or "this service")
        known = self._components_of(name)
        if known:
            self._open_components(editor, name, known)
            return
        editor.button.setEnabled(False)
        self._say(f"Reading the components of {name}…", problem=False)

        async def read() -> None:
            try:
                service = ServiceConfig(
                    name=name, url=str(raw.get("url", "")), kind=raw.get("kind")
                )
                result = await self._probe(service)
            finally:
                editor.button.setEnabled(True)
            if not result.found:
                self._say(f"Could not read the components of {name}: {result.error}.")
                return
            self._say("")
            self._open_components(editor, name, result.components)

        self._task = asyncio.ensure_future(read())

    def _open_components(
        self, editor: PickerEditor, name: str, components: Sequence[Component]
    ) -> ComponentsDialog:
        dialog = ComponentsDialog(name, components, editor.value() or (), self)
        dialog.accepted.connect(lambda: editor.chosen(dialog.chosen))
        dialog.open()
        self.components_dialog = dialog
        return dialog

    def _choose_runs_on(self, editor: PickerEditor) -> RunsOnDialog:
        me = self._services[self._current]
        platforms = [
            (str(raw["name"]), self._components_of(str(raw["name"])))
            for raw in self._services
            if raw is not me and raw.get("name") and raw.get("kind") != ENDPOINT
        ]
        name = str(me.get("name") or "this endpoint")
        dialog = RunsOnDialog(name, platforms, editor.value() or (), self)
        dialog.accepted.connect(lambda: editor.chosen(dialog.chosen))
        dialog.open()
        self.runs_on_dialog = dialog
        return dialog

    # -- notifications and general ----------------------------------------------------------

    def _notifications_page(self) -> QWidget:
        self.notifications_form = SchemaForm(NOTIFICATION_OPTIONS, sections=NOTIFICATION_SECTIONS)
        self.notifications_form.load(asdict(self._config.notifications))
        return self._page(self.notifications_form)

    def _general_page(self, keyring_secure: bool) -> QWidget:
        self.general_form = SchemaForm(SETTINGS_OPTIONS, sections=SETTINGS_SECTIONS)
        self.general_form.load(asdict(self._config.settings))
        self.start_hidden = self.general_form.editors["start_hidden"].findChild(QCheckBox)
        self.start_at_login = QCheckBox("Start traywatch when I log in")
        if self._autostart is not None:
            self.start_at_login.setChecked(self._autostart[0]())
        else:
            self.start_at_login.setEnabled(False)
            self.start_at_login.setToolTip("Not available in this installation")
        starting = self.general_form.sections["Starting"].layout()
        assert isinstance(starting, QFormLayout)
        starting.insertRow(0, self.start_at_login)
        secrets = QLabel(
            f"Tokens and passwords of your endpoints are kept in {self._keyring}, never in "
            "the config file or its exports."
            + (
                ""
                if keyring_secure
                else " That is not a safe place: anyone who can read your files can read them."
            )
        )
        secrets.setWordWrap(True)
        secrets.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.allow_plaintext = QCheckBox(
            "Keep them there anyway (anyone who can read your files can read them)"
        )
        self.allow_plaintext.setVisible(not keyring_secure)
        import_button = QPushButton("Import a watchlist…")
        import_button.setToolTip("Adds the services of a TOML watchlist to yours")
        import_button.clicked.connect(self._import)
        export_button = QPushButton("Export the watchlist…")
        export_button.setToolTip("Your services as TOML, without secrets")
        export_button.clicked.connect(self._export)
        transfer = QHBoxLayout()
        transfer.addWidget(import_button)
        transfer.addWidget(export_button)
        transfer.addStretch(1)
        keyring = QGroupBox("Tokens and passwords")
        keyring_layout = QVBoxLayout(keyring)
        keyring_layout.addWidget(secrets)
        keyring_layout.addWidget(self.allow_plaintext)
        watchlist = QGroupBox("Watchlist")
        watchlist.setLayout(transfer)
        return self._page(self.general_form, keyring, watchlist)

    def _page(self, form: SchemaForm, *extra: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(form)
        for widget in extra:
            layout.addWidget(widget)
        layout.addStretch(1)
        return page

    def _import(self) -> None:
        dialog = QFileDialog(self, "Import watchlist", "", "TOML files (*.toml)")
        dialog.fileSelected.connect(self._import_file)
        dialog.open()

    def _import_file(self, name: str) -> None:
        from traywatch.config import load_config

        try:
            incoming = load_config(name)
        except ConfigError as exc:
            self._say(f"Not imported: {exc}")
            return
        added = [s.name for s in incoming.services if self._add_service(service_to_raw(s))]
        self._say(f"Imported {len(added)} of {len(incoming.services)} services from {name}.")

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
            self._say(f"Not exported: {exc}")
            return
        self._say(f"Exported {len(config.services)} services to {name}.", problem=False)

    # -- applying -------------------------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        settings: dict[str, Any] = {}
        notifications: dict[str, Any] = {}
        self.general_form.store(settings)
        self.notifications_form.store(notifications)
        return {
            "settings": settings,
            "notifications": notifications,
            "services": [
                {k: v for k, v in raw.items() if k != SECRET_VALUE} for raw in self._services
            ],
        }

    def _validated(self) -> Config:
        self._store_form()
        try:
            config = validate(self._data(), self._path)
        except ConfigError as exc:
            self._problems = exc.fields
            self._refresh_list()
            self._show_errors()
            self._say("Not saved: " + self._where(exc.fields))
            self._go_to_first_problem()
            raise
        self._problems = ()
        self._refresh_list()
        self._show_errors()
        return config

    def _where(self, problems: Sequence[FieldProblem]) -> str:
        """ "2 things to fix: GitHub (Address, Name); General (Check every)." """
        titles = {o.name: o.title for o in (*SETTINGS_OPTIONS, *NOTIFICATION_OPTIONS)}
        service_titles = {o.name: o.title for o in SERVICE_OPTIONS}
        places: dict[str, list[str]] = {}
        for problem in problems:
            if problem.table == "services" and problem.index is not None:
                owner = self._label(self._services[problem.index])
                field = service_titles.get(problem.key or "", problem.message)
            else:
                owner = TABLE_TITLES.get(problem.table, "the file")
                field = titles.get(problem.key or "", problem.message)
            places.setdefault(owner, [])
            if field not in places[owner]:
                places[owner].append(field)
        count = len(problems)
        return (
            f"{'one thing' if count == 1 else f'{count} things'} to fix — "
            + "; ".join(f"{owner} ({', '.join(fields)})" for owner, fields in places.items())
            + ". Each is explained next to its field."
        )

    def _go_to_first_problem(self) -> None:
        first = self._problems[0] if self._problems else None
        if first is None:
            return
        if first.table == "services" and first.index is not None:
            self.tabs.setCurrentIndex(0)
            self.service_list.setCurrentRow(first.index)
            field = self.form.fields.get(first.key or "")
            if field is not None:
                self.form_scroll.ensureWidgetVisible(field)
        else:
            self.tabs.setCurrentIndex(1 if first.table == "notifications" else 2)

    def _show_errors(self) -> None:
        mine: dict[str, str] = {}
        for problem in self._problems:
            if problem.key is None:
                continue
            if problem.table == "services" and problem.index == self._current:
                mine[problem.key] = problem.message
        self.form.show_errors(mine)
        for table, form in (
            ("settings", self.general_form),
            ("notifications", self.notifications_form),
        ):
            form.show_errors(
                {p.key: p.message for p in self._problems if p.table == table and p.key}
            )

    def _say(self, text: str, *, problem: bool = True) -> None:
        self.message.setText(sentence(text))
        shown = problem and bool(text) and text.startswith(("Not ", "Could not"))
        self.message.set_as_error(shown)
        self.message_icon.setVisible(shown)

    def apply(self) -> bool:
        try:
            config = self._validated()
        except ConfigError:
            return False
        for index, raw in enumerate(self._services):
            value = raw.get(SECRET_VALUE)
            if value and raw.get("secret"):
                problem = self._store_secret(
                    str(raw["secret"]), str(value), self.allow_plaintext.isChecked()
                )
                if problem:
                    self.tabs.setCurrentIndex(0)
                    self.service_list.setCurrentRow(index)
                    self.form.fields["secret"].show_error(problem)
                    self._say("Not saved: the token or password could not be stored.")
                    return False
                del raw[SECRET_VALUE]
        self._select(self._current)  # the stored secret leaves the form
        from traywatch.config import write_config

        try:
            write_config(config, self._path)
        except (OSError, ConfigError) as exc:
            self._say(f"Not saved: {exc}")
            return False
        if self._autostart is not None and self.start_at_login.isChecked() != self._autostart[0]():
            self._autostart[1](self.start_at_login.isChecked())
        self._config = config
        self._say(f"Saved to {self._path}; traywatch uses it now.", problem=False)
        self.applied.emit(config)
        return True

    def _ok(self) -> None:
        if self.apply():
            self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Return in a field finishes that field (an address gets its https://); it
        # neither applies nor closes the window, as it would in a plain dialog.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)
