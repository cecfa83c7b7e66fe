"""The tray's service submenus follow the watchlist without being remade for each edit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.gui.test_tray_and_window import make_tray, stored_monitor


async def test_an_edit_remakes_only_the_submenus_of_services_that_changed(
    qapp: QApplication, tmp_path: Path
) -> None:
    monitor = stored_monitor(
        tmp_path,
        {
            "GitHub": "githubstatus-summary-major-outage.json",
            "Heroku": "githubstatus-summary-all-operational.json",
            "Atlassian": "githubstatus-summary-all-operational.json",
        },
    )
    tray, _ = make_tray(monitor)
    before = {entry.name: entry.menu for entry in tray.service_menus}
    github, heroku, atlassian = monitor.config.services
    edited = replace(
        monitor.config,
        services=(replace(atlassian, name="Jira"), github, heroku),  # renamed and moved
    )
    await monitor.reconfigure(edited)
    tray.refresh_view()
    # worst first; Jira, not checked yet under its new name, last
    assert [entry.name for entry in tray.service_menus] == ["GitHub", "Heroku", "Jira"]
    assert tray.service_menus[0].menu is before["GitHub"]
    assert tray.service_menus[1].menu is before["Heroku"]
    assert tray.service_menus[2].menu is not before["Atlassian"]
    in_menu = [a.menu() for a in tray.menu.actions() if a.menu() is not None]
    assert in_menu[:3] == [entry.menu for entry in tray.service_menus]  # in the new order
