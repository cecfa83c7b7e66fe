"""Desktop notifications through the freedesktop Notifications service, over D-Bus.

Spoken to directly (jeepney, on asyncio): Qt's own showMessage reaches the
notification server only when Qt uses the StatusNotifierItem tray protocol and
draws its own balloon otherwise. Where the service is missing, `notify` returns
False and the next backend in the chain takes over."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from traywatch import APP_ID
from traywatch.notify.policy import Notification

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
URGENCY = {"low": 0, "normal": 1, "critical": 2}
# Backoff of reconnecting to a session bus that failed (not of asking for the server).
RETRY_FIRST = 5.0
RETRY_MAX = 300.0
# A click on a notification opens traywatch's window at that service and incident (the
# action servers invoke on a click); where the server shows buttons, "Status page" opens
# the incident's page in the browser.
OPEN_ACTION = "default"
PAGE_ACTION = "page"


class FreedesktopNotifier:
    name = "freedesktop"

    def __init__(
        self,
        *,
        app_name: str = "traywatch",
        icon_for: Callable[[Notification], str] | None = None,
        on_open: Callable[[str], None] | None = None,
        on_activate: Callable[[Notification], None] | None = None,
        sound: bool = False,
    ) -> None:
        self.app_name = app_name
        self._icon_for = icon_for
        self._on_open = on_open  # an address, in the browser
        self._on_activate = on_activate  # the window, at the notification's service
        self._sound = sound
        self._router: Any = None
        self._router_cm: Any = None
        self._available = False
        self._failures = 0
        self._retry_at = 0.0
        self._told_missing = False
        self._connecting: asyncio.Lock | None = None  # made on the loop, when first needed
        self._markup = False
        self._shown: dict[int, Notification] = {}  # what is on screen, for its actions
        self._threads: dict[str, int] = {}
        self._listener: asyncio.Task[None] | None = None

    @staticmethod
    def possible() -> bool:
        return bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))

    async def _connect(self) -> bool:
        """Ready to send? Asked before every notification until it is: a notification
        server that starts after traywatch (common at login) is picked up then.
        Notifications are sent from concurrent tasks: one connects, the others wait."""
        if self._available:
            return True
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            if self._available:
                return True
            return await self._try_connect()

    async def _try_connect(self) -> bool:
        if not self.possible() or time.monotonic() < self._retry_at:
            return False
        try:
            if self._router is None:
                from jeepney.io.asyncio import open_dbus_router

                self._router_cm = open_dbus_router(bus="SESSION")
                self._router = await asyncio.wait_for(self._router_cm.__aenter__(), 5)
            if not await self._has_owner():
                # Asking the bus again next time is cheap: no backoff, just say it once.
                if not self._told_missing:
                    log.info("no notification server on the session bus yet; using the fallback")
                    self._told_missing = True
                return False
            capabilities = await self._call("GetCapabilities", "", ())
            self._markup = "body-markup" in capabilities[0]
            self._listener = asyncio.ensure_future(self._listen())
            self._listener.add_done_callback(self._listener_ended)
        except Exception as exc:  # D-Bus trouble must not stop the app: fall back
            await self._unusable(exc)
            return False
        self._available = True
        self._failures = 0
        self._told_missing = False
        log.info("notifications go to the desktop's notification server")
        return True

    async def _unusable(self, exc: BaseException) -> None:
        """Fall back for now and try the bus again later, less often each time."""
        self._failures += 1
        delay = min(RETRY_FIRST * 2 ** (self._failures - 1), RETRY_MAX)
        log.warning(
            "notification service unusable (%s); using the fallback, trying again in %.0f s",
            exc,
            delay,
        )
        self._retry_at = time.monotonic() + delay
        await self.aclose()

    def _listener_ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.warning("lost the notification server's signals: %s", task.exception())
            self._available = False  # reconnect on the next notification

    async def _has_owner(self) -> bool:
        from jeepney import DBusAddress, new_method_call

        bus = DBusAddress(
            "/org/freedesktop/DBus",
            bus_name="org.freedesktop.DBus",
            interface="org.freedesktop.DBus",
        )
        reply = await asyncio.wait_for(
            self._router.send_and_get_reply(new_method_call(bus, "NameHasOwner", "s", (BUS_NAME,))),
            5,
        )
        return bool(reply.body[0])

    async def _call(self, method: str, signature: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        from jeepney import DBusAddress, MessageType, new_method_call

        address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
        message = new_method_call(address, method, signature or None, args)
        reply = await asyncio.wait_for(self._router.send_and_get_reply(message), 5)
        if reply.header.message_type is MessageType.error:
            raise RuntimeError(f"{method} failed: {reply.body}")
        return tuple(reply.body)

    async def notify(self, notification: Notification) -> bool:
        if not await self._connect():
            return False
        body = html.escape(notification.body, quote=False) if self._markup else notification.body
        actions = [OPEN_ACTION, "Details"]
        if notification.url:
            actions += [PAGE_ACTION, "Status page"]
        hints: dict[str, tuple[str, Any]] = {
            "urgency": ("y", URGENCY[notification.urgency]),
            "desktop-entry": ("s", APP_ID),
            "category": ("s", "network"),
        }
        if self._sound:
            hints["sound-name"] = ("s", "message-new-instant")
        else:
            hints["suppress-sound"] = ("b", True)
        icon = self._icon_for(notification) if self._icon_for else "dialog-information"
        # One endpoint's failure, what explains it and its recovery take one place on
        # screen: each replaces the one before (a closed one is simply shown anew).
        replaces = self._threads.get(notification.thread, 0) if notification.thread else 0
        try:
            (notification_id,) = await self._call(
                "Notify",
                "susssasa{sv}i",
                (self.app_name, replaces, icon, notification.title, body, actions, hints, -1),
            )
        except Exception as exc:  # the server went away: the next backend shows this one
            await self._unusable(exc)
            return False
        self._shown[notification_id] = notification
        if notification.thread:
            self._threads[notification.thread] = notification_id
        return True

    async def _listen(self) -> None:
        """A click on a notification opens the window at it; its "Status page" button
        opens the page."""
        from jeepney import MatchRule
        from jeepney.bus_messages import message_bus
        from jeepney.io.asyncio import Proxy
        from jeepney.low_level import HeaderFields

        rule = MatchRule(type="signal", interface=INTERFACE, path=OBJECT_PATH)
        await Proxy(message_bus, self._router).AddMatch(rule)
        with self._router.filter(rule, bufsize=64) as queue:
            while True:
                message = await queue.get()
                member = message.header.fields.get(HeaderFields.member)
                if member == "ActionInvoked":
                    notification_id, action = message.body
                    self._invoked(self._shown.get(notification_id), action)
                elif member == "NotificationClosed":
                    self._shown.pop(message.body[0], None)

    def _invoked(self, notification: Notification | None, action: str) -> None:
        if notification is None:
            return  # another app's, or one shown before a restart
        if action == OPEN_ACTION and self._on_activate is not None:
            self._on_activate(notification)
        elif action == PAGE_ACTION and notification.url and self._on_open is not None:
            self._on_open(notification.url)

    async def aclose(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None
        if self._router_cm is not None:
            with contextlib.suppress(Exception):
                await self._router_cm.__aexit__(None, None, None)
        self._router_cm = self._router = None
        self._available = False
