"""The settings window with real parts: a loopback status server for "add by address",
the real keyring daemon of the test desktop for secrets, the config file on disk."""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests.conftest import fixture_bytes
from tests.support.server import StatusServer
from traywatch.config import load_config
from traywatch.config.secrets import backend, get_secret, set_secret
from traywatch.probe import probe
from traywatch.ui.settings_dialogs import AddByUrlDialog, CatalogDialog
from traywatch.ui.settings_window import SettingsWindow

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    event_loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[services]]\nname = "GitHub"\nkind = "statuspage"\nurl = "https://www.githubstatus.com"\n'
        '\n[[services]]\nname = "Heroku"\nkind = "heroku"\nurl = "https://status.heroku.com"\n',
        encoding="utf-8",
    )
    return path


def make_window(path: Path, qtbot: QtBot) -> tuple[SettingsWindow, list[object]]:
    applied: list[object] = []

    def store(ref: str, value: str, allow_insecure: bool) -> str | None:
        set_secret(ref, value, allow_insecure=allow_insecure)
        return None

    keyring = backend()  # the test desktop's real one, as the app passes it
    window = SettingsWindow(
        load_config(path),
        path,
        probe=probe,
        store_secret=store,
        keyring_status=keyring.name,
        keyring_secure=keyring.secure,
    )
    window.applied.connect(applied.append)
    window.resize(900, 680)
    qtbot.addWidget(window)  # closed and deleted after the test, before Qt goes away
    return window, applied


def shot(window: SettingsWindow, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / f"settings-{name}.png"))


def test_a_bad_edit_is_explained_next_to_its_field_and_nothing_is_lost(
    qapp: QApplication, qtbot: QtBot, config_file: Path
) -> None:
    window, applied = make_window(config_file, qtbot)
    window.show()
    before = config_file.read_bytes()
    assert window.service_list.count() == 2
    assert window.name.text() == "GitHub"
    window.url.setText("githubstatus.com")
    window.url.textEdited.emit("githubstatus.com")
    assert window.apply() is False
    error = window.fields["service.url"].error
    assert error.isVisibleTo(window)
    assert error.text().startswith("expected an http(s) address")
    assert config_file.read_bytes() == before  # nothing written
    assert window.url.text() == "githubstatus.com"  # nothing typed lost
    shot(window, "error")
    window.url.setText("https://www.githubstatus.com")
    window.url.textEdited.emit("https://www.githubstatus.com")
    window.interval.setValue(300)
    assert window.apply() is True
    assert not error.isVisibleTo(window)
    saved = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert saved["services"][0]["interval"] == 300
    assert len(applied) == 1
    assert (config_file.parent / "config.toml.bak").read_bytes() == before


def test_own_endpoint_with_a_secret_in_the_keyring(
    qapp: QApplication, qtbot: QtBot, config_file: Path
) -> None:
    window, _ = make_window(config_file, qtbot)
    window.show()
    window._add_endpoint()
    assert window.http_box.isVisibleTo(window)
    for widget, text in (
        (window.name, "my-app"),
        (window.url, "https://my-app.example.test/health"),
        (window.body_contains, "ok"),
        (window.secret, "my-app-settings-token"),
        (window.secret_value, "s3cr3t-from-the-form"),
    ):
        widget.setText(text)
        widget.textEdited.emit(text)
    window.auth.setCurrentIndex(window.auth.findData("bearer"))
    window.depends_on.item(1).setCheckState(Qt.CheckState.Checked)  # runs on Heroku
    shot(window, "own-endpoint")
    assert window.apply() is True
    text = config_file.read_text(encoding="utf-8")
    assert "s3cr3t-from-the-form" not in text
    service = tomllib.loads(text)["services"][2]
    assert service == {
        "name": "my-app",
        "url": "https://my-app.example.test/health",
        "kind": "http",
        "depends_on": ["Heroku"],
        "body_contains": "ok",
        "auth": "bearer",
        "secret": "my-app-settings-token",
    }
    assert get_secret("my-app-settings-token") == "s3cr3t-from-the-form"
    assert window.secret_value.text() == ""


def test_add_by_address_checks_the_page_first(
    qapp: QApplication,
    qtbot: QtBot,
    loop: asyncio.AbstractEventLoop,
    status_server: StatusServer,
) -> None:
    status_server.serve(
        "/api/v2/summary.json",
        fixture_bytes("statuspage/githubstatus-summary-minor-degraded-performance.json"),
    )
    dialog = AddByUrlDialog(probe)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.url.setText("http://127.0.0.1:1")
    dialog.start_check()
    loop.run_until_complete(asyncio.wait_for(dialog._task, 15))  # type: ignore[arg-type]
    assert dialog.found.text() == "Cannot add this address: connection to 127.0.0.1 refused"
    assert not dialog.add_button.isEnabled()
    dialog.url.setText(status_server.base_url)
    dialog.start_check()
    loop.run_until_complete(asyncio.wait_for(dialog._task, 15))  # type: ignore[arg-type]
    assert dialog.found.text().startswith("Found a statuspage page: GitHub\nNow: Degraded")
    assert dialog.add_button.isEnabled()
    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "settings-add-by-address.png"))
    service = dialog.service
    assert service is not None
    assert (service.name, service.kind) == ("GitHub", "statuspage")


def test_catalog_picker(qapp: QApplication, qtbot: QtBot) -> None:
    dialog = CatalogDialog()
    qtbot.addWidget(dialog)
    dialog.search.setText("papertrail")
    assert dialog.results.count() == 1
    dialog.results.item(0).setSelected(True)
    (entry,) = dialog.chosen
    assert entry.id == "papertrail-solarwinds"
    dialog.show()
    dialog.search.setText("")
    assert dialog.results.count() == 300  # the first page of a long list
    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "settings-catalog.png"))


def test_notification_settings_and_cancel(
    qapp: QApplication, qtbot: QtBot, config_file: Path
) -> None:
    window, _ = make_window(config_file, qtbot)
    window.show()
    window.tabs.setCurrentIndex(1)
    window.quiet_enabled.setChecked(True)
    window.flap_polls.setValue(3)
    window.min_severity.setCurrentIndex(window.min_severity.findData("degraded"))
    shot(window, "notifications")
    window.tabs.setCurrentIndex(2)
    window.start_hidden.setChecked(False)
    # The desktop's Secret Service is a safe store: no offer to use a plain file, and
    # the user is told in plain words where secrets go.
    assert not window.allow_plaintext.isVisibleTo(window)
    keyring_label = "Secrets are kept in: the desktop keyring (Secret Service)"
    assert keyring_label in [label.text() for label in window.findChildren(QLabel)]
    shot(window, "general")
    assert window.apply() is True
    assert load_config(config_file).settings.start_hidden is False
    notifications = load_config(config_file).notifications
    assert (notifications.quiet_hours, notifications.flap_polls, notifications.min_severity) == (
        "22:00-07:00",
        3,
        "degraded",
    )
    before = config_file.read_bytes()
    window.flap_polls.setValue(5)
    window.reject()  # Cancel changes nothing
    assert config_file.read_bytes() == before


def test_a_store_that_is_not_safe_is_offered_only_explicitly(
    qapp: QApplication, qtbot: QtBot, config_file: Path
) -> None:
    window = SettingsWindow(
        load_config(config_file),
        config_file,
        probe=probe,
        store_secret=lambda ref, value, allow: None,
        keyring_status="a file (/home/me/.local/share/python_keyring/keyring_pass.cfg)",
        keyring_secure=False,
    )
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(2)
    assert window.allow_plaintext.isVisibleTo(window)
    assert not window.allow_plaintext.isChecked()


def test_the_exported_watchlist_carries_no_credentials(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[services]]\nname = "mine"\nkind = "http"\nurl = "https://bob:pw@host.test/health"\n',
        encoding="utf-8",
    )
    window, _ = make_window(path, qtbot)
    target = tmp_path / "watchlist.toml"
    window._export_file(str(target))
    text = target.read_text(encoding="utf-8")
    assert "bob" not in text
    assert "pw" not in text
    assert tomllib.loads(text)["services"][0]["url"] == "https://host.test/health"
    assert window.message.text() == f"Exported 1 services to {target}."
    window._export_file(str(tmp_path / "no-such-dir" / "out.toml"))
    assert window.message.text().startswith("Not exported: ")
