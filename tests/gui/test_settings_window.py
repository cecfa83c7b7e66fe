"""The settings window with real parts: loopback status servers for "add by address"
and reading components, the real keyring daemon of the test desktop for secrets, the
config file on disk. The form is generated from the schema, so these tests drive it
through the schema's own names."""

from __future__ import annotations

import asyncio
import dataclasses
import tomllib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import fixture_bytes
from tests.support.server import StatusServer
from traywatch.config import load_config
from traywatch.config.schema import (
    NOTIFICATION_OPTIONS,
    SERVICE_OPTIONS,
    SETTINGS_OPTIONS,
    Config,
    ServiceConfig,
)
from traywatch.config.secrets import backend, get_secret, set_secret
from traywatch.probe import ProbeResult, probe
from traywatch.ui.settings_dialogs import AddByUrlDialog, CatalogDialog
from traywatch.ui.settings_window import SettingsWindow

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
EVERY_OPTION = """
[settings]
interval = 45.5
timeout = 3
concurrency = 2
start_hidden = false

[notifications]
min_severity = "degraded"
flap_polls = 3
quiet_hours = "22:30-06:45"
quiet_hours_allow_major = false
storm_limit = 5
sound = true

[[services]]
name = "GitHub"
kind = "statuspage"
url = "https://www.githubstatus.com"
interval = 90
enabled = false
components = ["Actions", "Git Operations"]
mute = true
notify_updates = true

[[services]]
name = "AWS"
kind = "aws"
url = "https://health.aws.amazon.com/health/status"
region = "us-east-1"
products = ["ec2", "s3"]

[[services]]
name = "Somewhere"
url = "https://status.somewhere.test"

[[services]]
name = "Shop API"
kind = "http"
url = "https://shop.example.test/health"
depends_on = ["GitHub: Actions", "AWS"]
method = "HEAD"
expect_status = [200, 204]
body_contains = "ok"
body_regex = "v\\\\d+"
degraded_after = 1.5
headers = { Accept = "application/json", X-Team = "shop" }
auth = "basic"
username = "deploy"
secret = "shop-api-password"
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[services]]\nname = "GitHub"\nkind = "statuspage"\nurl = "https://www.githubstatus.com"\n'
        '\n[[services]]\nname = "Heroku"\nkind = "heroku"\nurl = "https://status.heroku.com"\n',
        encoding="utf-8",
    )
    return path


def make_window(path: Path, qtbot: QtBot, **kwargs: Any) -> tuple[SettingsWindow, list[object]]:
    applied: list[object] = []

    def store(ref: str, value: str, allow_insecure: bool) -> str | None:
        set_secret(ref, value, allow_insecure=allow_insecure)
        return None

    kwargs.setdefault("probe", probe)
    keyring = backend()  # the test desktop's real one, as the app passes it
    window = SettingsWindow(
        load_config(path),
        path,
        store_secret=store,
        keyring_status=keyring.name,
        keyring_secure=keyring.secure,
        **kwargs,
    )
    window.applied.connect(applied.append)
    qtbot.addWidget(window)  # closed and deleted after the test, before Qt goes away
    return window, applied


def shot(widget: QWidget, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    assert widget.grab().save(str(ARTIFACTS / f"settings-{name}.png"))


def type_into(qtbot: QtBot, line: QLineEdit, text: str) -> None:
    """As a user types: the old text selected away, the new one key by key, Return."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def line(window: SettingsWindow, name: str) -> QLineEdit:
    found = window.form.editors[name].findChild(QLineEdit)
    assert found is not None
    return found


def select(window: SettingsWindow, name: str) -> None:
    names = [window.service_list.item(i).text() for i in range(window.service_list.count())]
    window.service_list.setCurrentRow(names.index(name))


def shown(window: SettingsWindow, option: str) -> bool:
    return window.form.fields[option].isVisibleTo(window)


def wait(loop: asyncio.AbstractEventLoop, task: asyncio.Future[Any] | None) -> None:
    assert task is not None
    loop.run_until_complete(asyncio.wait_for(task, 15))


# -- fields per kind, generated from the schema ------------------------------------------------


def test_every_declared_option_has_its_field(qtbot: QtBot, config_file: Path) -> None:
    window, _ = make_window(config_file, qtbot)
    assert set(window.form.editors) == {o.name for o in SERVICE_OPTIONS}
    assert set(window.general_form.editors) == {o.name for o in SETTINGS_OPTIONS}
    assert set(window.notifications_form.editors) == {o.name for o in NOTIFICATION_OPTIONS}


def test_each_kind_shows_its_own_fields(qtbot: QtBot, config_file: Path) -> None:
    window, _ = make_window(config_file, qtbot)
    window.show()
    select(window, "GitHub")  # a Statuspage page: what narrows it, no endpoint checks
    assert shown(window, "components")
    assert not shown(window, "method")
    assert not shown(window, "expect_status")
    assert not shown(window, "region")
    assert not window.form.sections["How it is checked"].isVisibleTo(window)
    kind = window.form.editors["kind"].combo  # type: ignore[attr-defined]
    kind.setCurrentIndex(kind.findData("aws"))  # AWS narrows by region and products
    assert shown(window, "region")
    assert shown(window, "products")
    window.add_endpoint_button.click()  # an endpoint: its checks, what it runs on
    for option in ("method", "expect_status", "body_contains", "headers", "auth", "depends_on"):
        assert shown(window, option), option
    for option in ("components", "region", "products", "notify_updates"):
        assert not shown(window, option), option
    # Sign-in asks only what the chosen way needs.
    assert not shown(window, "username")
    assert not shown(window, "secret")
    auth = window.form.editors["auth"].combo  # type: ignore[attr-defined]
    auth.setCurrentIndex(auth.findData("bearer"))
    assert shown(window, "secret")
    assert not shown(window, "username")
    auth.setCurrentIndex(auth.findData("basic"))
    assert shown(window, "username")


def test_a_config_opened_and_applied_reads_back_equal(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(EVERY_OPTION, encoding="utf-8")
    before = load_config(path)
    window, applied = make_window(path, qtbot)
    window.show()
    for row in range(window.service_list.count()):  # every service's form filled and read
        window.service_list.setCurrentRow(row)
        window._store_form()
    assert window.apply() is True
    after = load_config(path)
    assert after.services == before.services
    assert after.settings == before.settings
    assert after.notifications == before.notifications
    assert applied == [after]


def test_a_config_edited_in_the_form_saves_and_reads_back_as_edited(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(EVERY_OPTION, encoding="utf-8")
    before = load_config(path)
    window, _ = make_window(path, qtbot)
    window.show()
    select(window, "Shop API")
    type_into(qtbot, line(window, "body_regex"), r"version \d+")
    type_into(qtbot, line(window, "expect_status"), "200, 202")
    method = window.form.editors["method"].combo  # type: ignore[attr-defined]
    method.setCurrentIndex(method.findData(None))  # back to the default, GET
    auth = window.form.editors["auth"].combo  # type: ignore[attr-defined]
    auth.setCurrentIndex(auth.findData("bearer"))  # no user name with a token
    window.form.editors["headers"].text.setPlainText("Accept: text/plain")  # type: ignore[attr-defined]
    window.form.editors["degraded_after"].spin.setValue(2.25)  # type: ignore[attr-defined]
    select(window, "GitHub")
    window.form.editors["interval"].spin.setValue(29)  # type: ignore[attr-defined]  # "as set in General"
    window.form.editors["enabled"].box.setChecked(True)  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(1)
    window.notifications_form.editors["quiet_hours"].enabled.setChecked(False)  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(2)
    window.general_form.editors["timeout"].spin.setValue(7.5)  # type: ignore[attr-defined]
    assert window.apply() is True
    after = load_config(path)
    github, aws, somewhere, shop = before.services
    assert after.services == (
        dataclasses.replace(github, interval=None, enabled=True),
        aws,
        somewhere,
        dataclasses.replace(
            shop,
            body_regex=r"version \d+",
            expect_status=(200, 202),
            method=None,
            auth="bearer",
            username=None,
            headers=(("Accept", "text/plain"),),
            degraded_after=2.25,
        ),
    )
    assert after.notifications == dataclasses.replace(before.notifications, quiet_hours="")
    assert after.settings == dataclasses.replace(before.settings, timeout=7.5)


# -- problems next to their fields, nothing lost ------------------------------------------------


def test_a_bad_edit_is_explained_next_to_its_field_and_nothing_is_lost(
    qtbot: QtBot, config_file: Path
) -> None:
    window, applied = make_window(config_file, qtbot)
    window.show()
    before = config_file.read_bytes()
    assert window.service_list.count() == 2
    select(window, "Heroku")
    type_into(qtbot, line(window, "name"), "GitHub")
    type_into(qtbot, line(window, "url"), "ftp://example.test")
    assert window.apply() is False
    name_error = window.form.fields["name"].error
    url_error = window.form.fields["url"].error
    assert name_error.isVisibleTo(window)
    assert name_error.text() == "Another service is already called 'GitHub'"
    assert url_error.isVisibleTo(window)
    # the summary says where, in the words of the form, not "see services[1]"
    assert window.message.text() == (
        "Not saved: 2 things to fix — GitHub (Name, Address). Each is explained next to its field."
    )
    assert "services[" not in window.message.text()
    assert window.message_icon.isVisibleTo(window)
    assert config_file.read_bytes() == before  # nothing written
    assert line(window, "url").text() == "ftp://example.test"  # nothing typed lost
    shot(window, "error")
    type_into(qtbot, line(window, "name"), "Heroku")
    type_into(qtbot, line(window, "url"), "status.heroku.com")  # typed without https://
    assert line(window, "url").text() == "https://status.heroku.com"
    assert window.apply() is True
    assert not name_error.isVisibleTo(window)
    assert len(applied) == 1
    assert (config_file.parent / "config.toml.bak").read_bytes() == before


def test_own_endpoint_with_a_secret_in_the_keyring(
    qapp: QApplication, qtbot: QtBot, config_file: Path
) -> None:
    window, _ = make_window(config_file, qtbot)
    window.show()
    window.add_endpoint_button.click()
    assert window.form.sections["How it is checked"].isVisibleTo(window)
    type_into(qtbot, line(window, "name"), "my-app")
    type_into(qtbot, line(window, "url"), "my-app.example.test/health")
    type_into(qtbot, line(window, "body_contains"), "ok")
    auth = window.form.editors["auth"].combo  # type: ignore[attr-defined]
    auth.setCurrentIndex(auth.findData("bearer"))
    secret = window.form.editors["secret"]
    qtbot.keyClicks(secret.value_line, "s3cr3t-from-the-form")  # type: ignore[attr-defined]
    # the keyring entry is named for the newcomer who only typed the token
    assert secret.name_line.text() == "my-app-secret"  # type: ignore[attr-defined]
    assert window.apply() is True
    text = config_file.read_text(encoding="utf-8")
    assert "s3cr3t-from-the-form" not in text
    service = tomllib.loads(text)["services"][2]
    assert service == {
        "name": "my-app",
        "url": "https://my-app.example.test/health",
        "kind": "http",
        "body_contains": "ok",
        "auth": "bearer",
        "secret": "my-app-secret",
    }
    assert get_secret("my-app-secret") == "s3cr3t-from-the-form"
    assert secret.value_line.text() == ""  # type: ignore[attr-defined]


def test_notification_settings_and_cancel(qtbot: QtBot, config_file: Path) -> None:
    window, _ = make_window(config_file, qtbot)
    window.show()
    window.tabs.setCurrentIndex(1)
    notifications = window.notifications_form.editors
    notifications["quiet_hours"].enabled.setChecked(True)  # type: ignore[attr-defined]
    notifications["flap_polls"].spin.setValue(3)  # type: ignore[attr-defined]
    severity = notifications["min_severity"].combo  # type: ignore[attr-defined]
    assert severity.currentText() == "Every change, notices included"  # not "Operational"
    severity.setCurrentIndex(severity.findData("degraded"))
    assert severity.currentText() == "Degraded performance and worse"
    shot(window, "notifications")
    window.tabs.setCurrentIndex(2)
    assert window.start_hidden is not None
    window.start_hidden.setChecked(False)
    # The desktop's Secret Service is a safe store: no offer to use a plain file, and
    # the user is told in plain words where secrets go.
    assert not window.allow_plaintext.isVisibleTo(window)
    said = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "are kept in the desktop keyring (Secret Service), never in the config file" in said
    shot(window, "general")
    assert window.apply() is True
    assert load_config(config_file).settings.start_hidden is False
    saved = load_config(config_file).notifications
    assert (saved.quiet_hours, saved.flap_polls, saved.min_severity) == (
        "22:00-07:00",
        3,
        "degraded",
    )
    before = config_file.read_bytes()
    notifications["flap_polls"].spin.setValue(5)  # type: ignore[attr-defined]
    window.reject()  # Cancel changes nothing
    assert config_file.read_bytes() == before


def test_a_store_that_is_not_safe_is_offered_only_explicitly(
    qtbot: QtBot, config_file: Path
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


def test_the_exported_watchlist_carries_no_credentials(qtbot: QtBot, tmp_path: Path) -> None:
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


def test_every_screen_fits_a_small_screen(
    qtbot: QtBot, config_file: Path, loop: asyncio.AbstractEventLoop
) -> None:
    window, _ = make_window(config_file, qtbot)
    window.show()
    screen = window.screen().availableGeometry()
    assert screen.width() <= 1280  # the test desktop is a 1024x768 screen
    for widget in (window, window.add_from_catalog(), window.add_by_url()):
        qtbot.waitExposed(widget)
        assert widget.frameGeometry().width() <= screen.width(), widget
        assert widget.frameGeometry().height() <= screen.height(), widget


# -- add by address ------------------------------------------------------------------------


def test_add_by_address_checks_the_page_first_and_previews_it(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop, status_server: StatusServer
) -> None:
    status_server.serve(
        "/api/v2/summary.json",
        fixture_bytes("statuspage/githubstatus-summary-minor-degraded-performance.json"),
    )
    dialog = AddByUrlDialog(probe, services=[ServiceConfig(name="GitHub", url="https://x.test")])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.url.setText("http://127.0.0.1:1")
    dialog.start_check()
    wait(loop, dialog._task)
    assert dialog.found.text() == "Cannot add this address: connection to 127.0.0.1 refused."
    assert not dialog.add_button.isEnabled()
    dialog.url.setText(status_server.base_url)
    dialog.start_check()
    wait(loop, dialog._task)
    assert dialog.found.text() == f"Found GitHub at {status_server.base_url}."
    assert dialog.kind.text() == "Statuspage"
    assert dialog.state.text().startswith("Degraded")
    assert dialog.incidents.text() == "1 open incident"
    assert dialog.tree.total == 11
    assert dialog.tree_label.text().startswith("11 components.")
    # a name already used is offered free, and a name typed that is taken is refused
    assert dialog.name.text() == "GitHub (2)"
    assert dialog.add_button.isEnabled()
    assert dialog.add_button.text() == "Add GitHub (2)"  # says what it adds
    dialog.name.setText("GitHub")
    dialog.name.textEdited.emit("GitHub")
    assert dialog.name_error.text() == "Another service is called GitHub; choose another name"
    assert not dialog.add_button.isEnabled()
    assert dialog.add_button.text() == "Add"
    dialog.name.setText("GitHub status")
    dialog.name.textEdited.emit("GitHub status")
    assert dialog.add_button.isEnabled()
    assert dialog.add_button.text() == "Add GitHub status"
    dialog.tree.tick_where(lambda c: c.label in ("Actions", "Pages"))
    service = dialog.service
    assert service is not None
    assert (service.name, service.kind, service.url) == (
        "GitHub status",
        "statuspage",
        status_server.base_url,
    )
    assert service.components == ("Actions", "Pages")
    shot(dialog, "add-by-address")


def test_an_address_typed_without_its_scheme_gets_https(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop, status_server: StatusServer
) -> None:
    dialog = AddByUrlDialog(probe)
    qtbot.addWidget(dialog)
    address = status_server.base_url.removeprefix("http://")
    dialog.url.setText(address)
    dialog.start_check()
    assert dialog.url.text() == "https://" + address
    wait(loop, dialog._task)  # the loopback server speaks plain HTTP: TLS fails, plainly
    assert dialog.found.text().startswith("Cannot add this address: ")


def test_a_web_page_is_read_for_the_status_api_it_names(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop, status_server: StatusServer
) -> None:
    # CircleCI's recorded Statuspage page; its canonical address made the loopback one,
    # so that the API it names is served here and nothing reaches the internet.
    page = fixture_bytes("html/circleci-statuspage-head.html").decode()
    page = page.replace("https://status.circleci.com", status_server.base_url)
    status_server.serve("/incidents/x1", page.encode(), content_type="text/html")
    status_server.serve(
        "/api/v2/summary.json",
        fixture_bytes("statuspage/githubstatus-summary-all-operational.json"),
    )
    dialog = AddByUrlDialog(probe)
    qtbot.addWidget(dialog)
    dialog.url.setText(status_server.url("/incidents/x1"))
    dialog.start_check()
    wait(loop, dialog._task)
    assert dialog.probed is not None
    assert dialog.probed.found_via is not None
    assert dialog.probed.url == status_server.base_url
    assert dialog.found.text().startswith("That address is a web page, not a status API.")
    service = dialog.service
    assert service is not None
    assert (service.url, service.kind) == (status_server.base_url, "statuspage")
    shot(dialog, "add-by-address-web-page")


def test_a_web_page_without_a_status_api_is_one_plain_sentence(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop, status_server: StatusServer
) -> None:
    status_server.serve(
        "/",
        b"<!DOCTYPE html><html><head><title>Shop</title></head></html>",
        content_type="text/html",
    )
    dialog = AddByUrlDialog(probe)
    qtbot.addWidget(dialog)
    dialog.url.setText(status_server.base_url)
    dialog.start_check()
    wait(loop, dialog._task)
    assert dialog.found.text() == (
        "Cannot add this address: this address serves a web page, not a status API, and "
        "the page names none that traywatch can read."
    )
    assert "tried" in dialog.found.toolTip()  # the long story, for whoever wants it


def test_a_page_of_data_centres_is_previewed_with_its_services_ticked(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop, status_server: StatusServer
) -> None:
    status_server.serve(
        "/api/v2/summary.json",
        fixture_bytes("statuspage/cloudflarestatus-summary-minor-groups-maintenance.json"),
    )
    dialog = AddByUrlDialog(probe)
    qtbot.addWidget(dialog)
    dialog.url.setText(status_server.base_url)
    dialog.start_check()
    wait(loop, dialog._task)
    assert "The 340 data centres are left out" in dialog.tree_label.text()
    service = dialog.service
    assert service is not None
    assert service.components == ("Cloudflare Sites and Services",)


# -- the catalog -------------------------------------------------------------------------------


def test_catalog_ranks_names_and_marks_what_is_watched(qtbot: QtBot) -> None:
    dialog = CatalogDialog(watched={"github"})
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.search.setText("git")
    first, second = dialog.results.item(0), dialog.results.item(1)
    assert {first.text(), second.text()} == {"GitHub", "GitLab"}
    github = first if first.text() == "GitHub" else second
    assert github.checkState() is Qt.CheckState.Checked
    assert not github.flags() & Qt.ItemFlag.ItemIsUserCheckable  # cannot be added twice
    assert "Already in your list" in github.toolTip()
    gitlab = second if github is first else first
    gitlab.setCheckState(Qt.CheckState.Checked)
    assert dialog.add_button.text() == "Add GitLab"
    assert [e.id for e in dialog.chosen] == ["gitlab"]
    dialog.search.setText("zzz-no-such")
    assert dialog.empty.isVisibleTo(dialog)
    assert dialog.by_address.isVisibleTo(dialog)
    dialog.search.setText("")
    row = next(
        i
        for i in range(dialog.categories.count())
        if dialog.categories.item(i).text().startswith("AI APIs")
    )
    dialog.categories.setCurrentRow(row)
    assert dialog.results.count() >= 20
    names = [dialog.results.item(i).text() for i in range(dialog.results.count())]
    assert "OpenAI" in names
    assert [e.id for e in dialog.chosen] == ["gitlab"]  # ticks survive searching
    for entry in ("openai", "anthropic-claude"):
        dialog.choose(entry)
    assert dialog.add_button.text() == "Add 3 platforms"
    shot(dialog, "catalog")


# -- a new user, from nothing to "is it them or me?" -----------------------------------------


def test_a_new_user_adds_github_and_heroku_watches_two_components_and_their_endpoint(
    qtbot: QtBot, tmp_path: Path, loop: asyncio.AbstractEventLoop, status_server: StatusServer
) -> None:
    status_server.serve("/api/v4/current-status", fixture_bytes("heroku/all-green.json"))

    async def probe_on_loopback(service: ServiceConfig) -> ProbeResult:
        # The real probe, on a real server serving Heroku's recorded answer: only the
        # address is redirected, so that the test never reaches the internet.
        assert service.url == "https://status.heroku.com"
        return await probe(dataclasses.replace(service, url=status_server.base_url))

    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")  # a first file, nothing watched yet
    window, _ = make_window(path, qtbot, probe=probe_on_loopback)
    window.show()
    assert window.empty.isVisibleTo(window)
    assert "from the catalog" in window.empty.text()

    catalog = window.add_from_catalog()
    for name in ("GitHub", "Heroku"):
        catalog.search.setText(name.lower())
        found = catalog.results.findItems(name, Qt.MatchFlag.MatchExactly)
        found[0].setCheckState(Qt.CheckState.Checked)
    assert catalog.add_button.text() == "Add GitHub and Heroku"  # says what it will do
    catalog.add_button.click()
    assert [window.service_list.item(i).text() for i in range(2)] == ["GitHub", "Heroku"]

    select(window, "Heroku")
    components = window.form.editors["components"]
    assert components.summary.text() == "Apps, Data, Tools"  # type: ignore[attr-defined]  # the catalog's
    components.button.click()  # type: ignore[attr-defined]
    wait(loop, window._task)  # the page is read for its components
    picker = window.components_dialog
    assert picker.tree.total == 3
    picker.tree.tick_where(lambda c: c.label in ("Apps", "Data"))
    picker.accept()
    assert components.summary.text() == "Apps, Data"  # type: ignore[attr-defined]

    assert line(window, "url").placeholderText() == "https://status.example.com"
    window.add_endpoint_button.click()
    # an endpoint's address looks like one, not like a status page's
    assert line(window, "url").placeholderText() == "https://api.example.com/health"
    type_into(qtbot, line(window, "name"), "My API")
    type_into(qtbot, line(window, "url"), "my-api.example.test/health")
    window.form.editors["depends_on"].button.click()  # type: ignore[attr-defined]
    runs_on = window.runs_on_dialog
    platforms = [runs_on.tree.tree.topLevelItem(i).text(0) for i in range(2)]
    assert platforms == ["GitHub", "Heroku"]
    runs_on.tree.tree.topLevelItem(1).setCheckState(0, Qt.CheckState.Checked)
    runs_on.accept()
    assert window.form.editors["depends_on"].summary.text() == "Heroku (all of it)"  # type: ignore[attr-defined]
    shot(window, "new-user-endpoint")

    assert window.apply() is True
    saved = tomllib.loads(path.read_text(encoding="utf-8"))["services"]
    assert [(s["name"], s.get("kind")) for s in saved] == [
        ("GitHub", "statuspage"),
        ("Heroku", "heroku"),
        ("My API", "http"),
    ]
    assert saved[1]["components"] == ["Apps", "Data"]
    assert saved[2]["url"] == "https://my-api.example.test/health"
    assert saved[2]["depends_on"] == ["Heroku"]
    config: Config = load_config(path)
    assert config.find("My API") is not None
