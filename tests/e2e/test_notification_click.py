"""A click on a notification, as the test desktop's notification server (dunst) reports it:
the window opens at the notification's service and incident; the "Status page" button
opens the page. Clicking is done with `dunstctl action`, which invokes what a click does."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from traywatch.core.model import Severity
from traywatch.notify.freedesktop import FreedesktopNotifier
from traywatch.notify.policy import Notification


async def _until(condition: object, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


async def dunstctl(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        "dunstctl", *args, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    return out.decode()


async def _until_displayed() -> None:
    for _ in range(200):
        if int(await dunstctl("count", "displayed")) >= 1:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("dunst shows nothing")


async def test_a_click_opens_the_window_at_the_service_and_incident() -> None:
    activated: list[Notification] = []
    opened: list[str] = []
    notifier = FreedesktopNotifier(on_activate=activated.append, on_open=opened.append)
    await dunstctl("close-all")
    told = Notification(
        datetime.now(UTC),
        "GitHub",
        "new_incident",
        Severity.MAJOR_OUTAGE,
        "GitHub: Incident with Codespaces",
        "Major outage · Codespaces",
        incident_id="bjyfg0yz1lwj",
        url="https://www.githubstatus.com/incidents/bjyfg0yz1lwj",
    )
    endpoint = Notification(
        datetime.now(UTC), "Shop API", "new_incident", Severity.MAJOR_OUTAGE, "Shop API", "HTTP 502"
    )
    try:
        assert await notifier.notify(told)
        await _until_displayed()
        await dunstctl("action", "0")  # the click
        await _until(lambda: activated)
        assert activated == [told]  # the window, at GitHub and that incident
        assert opened == []  # not the browser
        await dunstctl("close-all")
        # one without a page to open (an endpoint of the user's) is clickable too
        assert await notifier.notify(endpoint)
        await _until_displayed()
        await dunstctl("action", "0")
        await _until(lambda: len(activated) == 2)
        assert activated[1].service == "Shop API"
    finally:
        await dunstctl("close-all")
        await notifier.aclose()


async def test_the_status_page_button_opens_the_page() -> None:
    """Servers that show buttons show "Status page"; it opens the incident's page."""
    activated: list[Notification] = []
    opened: list[str] = []
    notifier = FreedesktopNotifier(on_activate=activated.append, on_open=opened.append)
    told = Notification(
        datetime.now(UTC),
        "GitHub",
        "new_incident",
        Severity.DEGRADED,
        "GitHub: Slow Actions",
        "Degraded · Actions",
        incident_id="x1",
        url="https://www.githubstatus.com/incidents/x1",
    )
    try:
        assert await notifier.notify(told)
        ident = next(i for i, n in notifier._shown.items() if n is told)
        # what the server sends when that button is pressed
        from jeepney import DBusAddress, new_signal
        from jeepney.io.asyncio import open_dbus_router

        async with open_dbus_router(bus="SESSION") as router:
            # the server's signal reaches every listener; sent from here, it tests the
            # notifier's handling of the action key, which is what the button sends
            signal = new_signal(
                DBusAddress(
                    "/org/freedesktop/Notifications", interface="org.freedesktop.Notifications"
                ),
                "ActionInvoked",
                "us",
                (ident, "page"),
            )
            await router.send(signal)
            await _until(lambda: opened)
        assert opened == ["https://www.githubstatus.com/incidents/x1"]
        assert activated == []
    finally:
        await dunstctl("close-all")
        await notifier.aclose()
