"""The component picker on Cloudflare's recorded page (468 components in 8 groups, 340
of them data centres) and the "runs on" picker: search, tri-state groups, counts, the
quick choices, and choices the page no longer lists kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from tests.conftest import fixture_bytes
from traywatch.core.model import Component, Severity
from traywatch.providers import get_provider
from traywatch.ui.settings_dialogs import ComponentsDialog, RunsOnDialog


def page(kind: str, fixture: str) -> tuple[Component, ...]:
    snapshot = get_provider(kind).parse(
        fixture_bytes(fixture), fetched_at=datetime.now(UTC), page_url=""
    )
    return snapshot.components


CLOUDFLARE = page("statuspage", "statuspage/cloudflarestatus-summary-minor-groups-maintenance.json")
HEROKU = page("heroku", "heroku/apps-red-incident.json")


def top(dialog: ComponentsDialog | RunsOnDialog, label: str) -> QTreeWidgetItem:
    tree = dialog.tree.tree
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        assert item is not None
        if item.text(0).split(" (")[0] == label:
            return item
    raise AssertionError(f"no {label}")


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = []
    for index in range(item.childCount()):
        child = item.child(index)
        assert child is not None
        found.append(child)
    return found


@pytest.fixture
def picker(qtbot: QtBot) -> ComponentsDialog:
    dialog = ComponentsDialog("Cloudflare", CLOUDFLARE, ["Cloudflare Sites and Services"])
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def settle(qtbot: QtBot) -> None:
    qtbot.wait(10)  # the count is redone once a group's ticks have all changed


def test_a_page_of_468_components_by_group_with_counts(picker: ComponentsDialog) -> None:
    tree = picker.tree
    assert tree.total == len(CLOUDFLARE) == 468
    assert tree.tree.topLevelItemCount() == 8
    assert tree.ticked == 128
    assert tree.count.text() == "128 of 468 watched"
    europe = top(picker, "Europe")
    assert europe.text(0) == "Europe (58)"
    in_trouble = sum(
        1 for c in CLOUDFLARE if c.group == "Europe" and c.severity >= Severity.DEGRADED
    )
    assert europe.text(1) == f"{in_trouble} of 58 in trouble"  # not "Partial outage"
    assert picker.chosen == ("Cloudflare Sites and Services",)


def test_search_finds_components_in_their_groups(picker: ComponentsDialog) -> None:
    tree = picker.tree
    tree.search.setText("london")
    europe = top(picker, "Europe")
    shown = [c.text(0) for c in children(europe) if not c.isHidden()]
    assert shown == ["London, United Kingdom - (LHR)"]
    assert europe.isExpanded()
    assert top(picker, "Asia").isHidden()
    tree.search.setText("asia")  # a group's name shows the whole group
    asia = top(picker, "Asia")
    assert not asia.isHidden()
    assert all(not c.isHidden() for c in children(asia))
    tree.search.setText("")
    assert all(not top(picker, g).isHidden() for g in ("Asia", "Europe", "Oceania"))


def test_a_group_ticks_its_members_and_shows_when_only_some_are(
    qtbot: QtBot, picker: ComponentsDialog
) -> None:
    europe = top(picker, "Europe")
    assert europe.checkState(0) is Qt.CheckState.Unchecked
    europe.setCheckState(0, Qt.CheckState.Checked)
    settle(qtbot)
    assert all(c.checkState(0) is Qt.CheckState.Checked for c in children(europe))
    assert picker.tree.count.text() == "186 of 468 watched"
    assert picker.chosen == ("Europe", "Cloudflare Sites and Services")
    london = next(c for c in children(europe) if c.text(0).startswith("London"))
    london.setCheckState(0, Qt.CheckState.Unchecked)
    settle(qtbot)
    assert europe.checkState(0) is Qt.CheckState.PartiallyChecked
    chosen = picker.chosen
    assert "Europe" not in chosen
    assert len(chosen) == 57 + 1
    assert "London, United Kingdom - (LHR)" not in chosen


def test_quick_choices(qtbot: QtBot, picker: ComponentsDialog) -> None:
    buttons = {
        picker.tree.quick.itemAt(i).widget().text(): picker.tree.quick.itemAt(i).widget()  # type: ignore[union-attr]
        for i in range(picker.tree.quick.count())
    }
    buttons["Tick the ones with trouble now"].click()  # type: ignore[attr-defined]
    trouble = {c.name for c in CLOUDFLARE if c.severity >= Severity.DEGRADED}
    assert 0 < len(trouble) < 100  # some data centres re-routed in the recording
    assert set(picker.chosen) == trouble
    buttons["Untick all"].click()  # type: ignore[attr-defined]
    assert picker.tree.ticked == 0
    assert picker.tree.count.text() == "None ticked: all 468 components count"
    assert picker.chosen == ()
    buttons["Only the services (not the 340 data centres)"].click()  # type: ignore[attr-defined]
    assert picker.chosen == ("Cloudflare Sites and Services",)


def test_everything_ticked_means_everything(picker: ComponentsDialog) -> None:
    picker.tree.tick_where(lambda _c: True)
    assert picker.chosen == ()  # written as no filter, so new groups count too


def test_a_choice_the_page_no_longer_lists_is_kept(qtbot: QtBot) -> None:
    dialog = ComponentsDialog("Heroku", HEROKU, ["Apps", "Billing"])
    qtbot.addWidget(dialog)
    gone = top(dialog, "Not on the page now")
    assert [c.text(0) for c in children(gone)] == ["Billing"]
    assert dialog.chosen == ("Apps", "Billing")
    children(gone)[0].setCheckState(0, Qt.CheckState.Unchecked)  # the user lets it go
    assert dialog.chosen == ("Apps",)


def test_runs_on_a_platform_or_some_of_its_components(qtbot: QtBot) -> None:
    dialog = RunsOnDialog(
        "Shop API",
        [("Heroku", HEROKU), ("GitHub", ())],
        ["Heroku: Apps", "Gone: API"],
    )
    qtbot.addWidget(dialog)
    dialog.show()
    heroku = top(dialog, "Heroku")
    assert heroku.checkState(0) is Qt.CheckState.PartiallyChecked
    assert heroku.isExpanded()  # what is ticked in it shows, without a click
    assert [c.text(0) for c in children(heroku)] == ["Apps", "Data", "Tools"]
    red = sum(1 for c in HEROKU if c.severity >= Severity.DEGRADED)
    assert red  # the recording has an incident on Apps
    assert heroku.text(1) == f"{red} of 3 in trouble"
    assert top(dialog, "GitHub").childCount() == 0  # not polled yet: the whole platform
    assert dialog.chosen == ("Heroku: Apps", "Gone: API")
    assert dialog.tree.count.text() == "Runs on: Heroku (Apps), Gone (API)"
    dialog.tree.search.setText("data")
    assert [c.text(0) for c in children(heroku) if not c.isHidden()] == ["Data"]
    dialog.tree.search.setText("")
    assert heroku.isExpanded()  # and again when the search is cleared
    heroku.setCheckState(0, Qt.CheckState.Checked)
    top(dialog, "GitHub").setCheckState(0, Qt.CheckState.Checked)
    assert dialog.chosen == ("Heroku", "GitHub", "Gone: API")
