"""The running monitor: poller, state store and notification policy wired together.

Qt-free (asyncio only), so that it runs under plain pytest; the tray is a thin
listener on top. The poller (and with it httpx) is imported only in `start()`,
so the stored state can be shown before the network stack is loaded."""

from __future__ import annotations

import contextlib
import logging
import random
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from traywatch.config.schema import Config, ServiceConfig
from traywatch.core.health import (
    ServiceView,
    TrayState,
    aggregate,
    has_active_incidents,
    service_view,
    tooltip,
)
from traywatch.core.model import Component, Severity, Snapshot
from traywatch.core.runs_on import Answer, parse_dependency
from traywatch.notify.base import Notifier
from traywatch.notify.policy import ESCALATION, NEW_INCIDENT, Notification, NotificationPolicy
from traywatch.notify.them_or_me import ThemOrMe, answers, endpoints, thread_of
from traywatch.store.history import Check, HistoryStore, Poll
from traywatch.tasks import TaskSupervisor

if TYPE_CHECKING:
    from traywatch.poller.http import Fetcher
    from traywatch.poller.scheduler import Poller, PollerEvent

log = logging.getLogger(__name__)

TICK_SECONDS = 5.0
BASELINE_PATIENCE = timedelta(seconds=90)
STARTUP_NOTE = "startup_note"
# How recent a platform's answer must be to be used as it is when an endpoint fails.
FRESH_ENOUGH = 20.0
# A wall-clock jump this much larger than the monotonic one means the machine slept.
SLEEP_JUMP = timedelta(seconds=60)
WAKE_JITTER_SECONDS = 10.0
# Unchanged polls only move the time of the check: written together, this often.
CHECKS_FLUSH_SECONDS = 60.0

Listener = Callable[[], None]


class Monitor:
    def __init__(
        self,
        config: Config,
        store: HistoryStore,
        notifier: Notifier,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        min_interval: float | None = None,
        time_scale: float = 1.0,
        tick_seconds: float = TICK_SECONDS,
    ) -> None:
        self.config = config
        self.store = store
        self.notifier = notifier
        self._clock = clock
        self._min_interval = min_interval
        self._time_scale = time_scale
        self._tick_seconds = tick_seconds
        self.services: list[ServiceConfig] = [s for s in config.services if s.enabled]
        self.policy = NotificationPolicy(
            config.notifications,
            store,
            services=[s.name for s in self.services],
            muted=[s.name for s in self.services if s.mute],
            every_update=[s.name for s in self.services if s.notify_updates],
        )
        self.poller: Poller | None = None
        self.config_problem: str | None = None  # why an edited config file was not applied
        # Said once at start, as a notification and in the window: how the last run
        # ended when not cleanly, a state store that could not be opened.
        self.startup_notes: list[tuple[str, str]] = []  # (title, text)
        self.them_or_me = ThemOrMe()
        self.polls = 0
        self._config_mtime = _mtime(config)
        self.offline = False
        self._listeners: list[Listener] = []
        self._tasks = TaskSupervisor()
        self._started_at = clock()
        self._stored: dict[str, Snapshot] = {}
        self._unsaved_checks: dict[str, Check] = {}
        self._unsaved_polls: list[Poll] = []
        self._saving_soon = False  # a save of the polls is planned for the loop's next turn
        self._telling_soon = False  # so is telling the listeners
        self._checks_saved_at = 0.0  # time.monotonic()
        # The minute the listeners were last told of: the tray says "checked 10:42".
        self._shown_minute: datetime | None = None
        for service in self.services:
            snapshot = store.last_snapshot(service.name)
            if snapshot is not None:
                self._stored[service.name] = snapshot

    # -- listeners -----------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _changed(self) -> None:
        self._shown_minute = _minute(self._clock())
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:
                log.exception("listener failed")

    # -- what to show --------------------------------------------------------------------

    def views(self) -> list[ServiceView]:
        now = self._clock()
        out = []
        for service in self.services:
            state = self.poller.status(service.name) if self.poller else None
            stored = self._stored.get(service.name)
            latest = state.snapshot if state and state.snapshot else None
            last_good = state.last_good if state and state.last_good else stored
            failures = state.failures if state else 0
            view = service_view(
                service.name,
                service.url,
                latest=latest,
                last_good=last_good,
                failures=failures,
                interval=self.config.interval_for(service),
                now=now,
                snoozed=self.policy.is_snoozed(service.name, now),
            )
            out.append(
                replace(view, failures=failures, next_check=state.next_poll_at if state else None)
            )
        return self._with_answers(out)

    def answers(self) -> dict[str, Answer]:
        """Is it them or me: the answer for each endpoint of the user's, as of now."""
        if not any(s.kind == "http" for s in self.services):
            return {}
        snapshots = {s.name: self.snapshot(s.name) for s in self.services}
        return answers(self.services, snapshots, offline=self.offline)

    def components(self, service: str) -> tuple[Component, ...]:
        """The components the service's page lists now (with their groups and states)."""
        snapshot = self.snapshot(service)
        return snapshot.components if snapshot is not None else ()

    def dependents(self, platform: str) -> list[str]:
        """The user's endpoints that run on `platform`."""
        names = [s.name for s in self.services]
        return [
            s.name
            for s in self.services
            if s.kind == "http"
            and any(parse_dependency(e, names).platform == platform for e in s.depends_on or ())
        ]

    def _with_answers(self, views: list[ServiceView]) -> list[ServiceView]:
        """A failing endpoint's row, tooltip line and details carry the answer."""
        said = self.answers()
        if not said:
            return views
        out = []
        for view in views:
            answer = said.get(view.name)
            if answer is not None and answer.text and view.severity >= Severity.DEGRADED:
                view = replace(view, summary=f"{view.summary} — {answer.text}", them_or_me=answer)
            out.append(view)
        return out

    def snapshot(self, service: str) -> Snapshot | None:
        """The fullest known picture of a service: the latest good one, or the stored one."""
        state = self.poller.status(service) if self.poller else None
        if state is not None and state.last_good is not None:
            return state.last_good
        return self._stored.get(service)

    def tray_state(self, views: list[ServiceView] | None = None) -> tuple[TrayState, bool]:
        views = self.views() if views is None else views
        state = aggregate(views, offline=self.offline)
        return state, has_active_incidents(views)

    def tooltip(self, views: list[ServiceView] | None = None) -> str:
        text = tooltip(
            self.views() if views is None else views,
            offline=self.offline,
            paused_until=self.paused_until,
            now=self._clock(),
        )
        if self.config_problem:
            text += "\nThe edited configuration has an error and was not applied"
        return text

    @property
    def paused(self) -> bool:
        return self.policy.is_paused(self._clock())

    @property
    def paused_until(self) -> datetime | None:
        return self.policy.paused_until if self.paused else None

    def note_at_start(self, title: str, text: str) -> None:
        """Something the user must hear about once: in the window and, when the monitor
        starts, as a notification."""
        log.warning("%s: %s", title, text)
        self.startup_notes.append((title, text))

    # -- user actions ----------------------------------------------------------------------

    def refresh(self, service: str | None = None) -> None:
        if self.poller is not None:
            self.poller.refresh(service)

    def pause(self, until: datetime | None) -> None:
        self.policy.pause(until)
        self._deliver(self.policy.tick(self._clock()))
        self._changed()

    def snooze(self, service: str, until: datetime | None) -> None:
        self.policy.snooze(service, until)
        self._changed()

    def notify_when_resolved(self, service: str, wanted: bool = True) -> None:
        self.policy.notify_when_resolved(service, wanted)
        self._changed()

    # -- running ---------------------------------------------------------------------------

    def _new_poller(self, config: Config, fetcher: Fetcher | None = None) -> Poller:
        from traywatch.poller.http import Fetcher
        from traywatch.poller.scheduler import Poller

        settings = config.settings
        if fetcher is None:
            fetcher = Fetcher(timeout=settings.timeout, max_connections=settings.concurrency)
        if self._min_interval is None:
            return Poller(config, fetcher, time_scale=self._time_scale)
        return Poller(config, fetcher, min_interval=self._min_interval, time_scale=self._time_scale)

    async def start(self) -> None:
        self.poller = self._new_poller(self.config)
        for name, snapshot in self._stored.items():
            self.poller.seed(name, snapshot)
        self.poller.subscribe(self._on_poller_event)
        self.poller.start()
        self._tasks.supervise(self._housekeeping, "traywatch housekeeping")
        self._deliver(
            [
                Notification(
                    self._clock(), "traywatch", STARTUP_NOTE, Severity.DEGRADED, title, text
                )
                for title, text in self.startup_notes
            ]
        )

    async def stop(self) -> None:
        await self._tasks.close()
        if self.poller is not None:
            await self.poller.stop()
            await self.poller.fetcher.aclose()
        try:
            self._save_checks()
        except sqlite3.Error as exc:
            log.warning("could not record the times of checks: %s", exc)

    async def reconfigure(self, config: Config) -> None:
        """Apply an edited config at once, without a restart: a service keeps what is
        known about it as long as it is the same page watched the same way (renamed or
        not); any other is "checking…" until polled — never shown from an older state."""
        old = self.poller
        self.config = config
        self._config_mtime = _mtime(config)
        self.config_problem = None
        before = {s.name: _identity(s) for s in self.services}
        self.services = [s for s in config.services if s.enabled]
        self.policy.update(
            config.notifications,
            muted=[s.name for s in self.services if s.mute],
            every_update=[s.name for s in self.services if s.notify_updates],
        )
        for service in self.services:
            if before.get(service.name) != _identity(service):
                self._stored.pop(service.name, None)  # another page, or watched otherwise
        if old is None:
            self._changed()
            return
        await old.stop()
        # The HTTP client stays unless its settings changed: its connections, the pages'
        # validators and the hosts' backoff carry over (and a new TLS context costs MBs).
        settings = config.settings
        fetcher: Fetcher | None = old.fetcher
        if not old.fetcher.suits(timeout=settings.timeout, max_connections=settings.concurrency):
            await old.fetcher.aclose()
            fetcher = None
        self.poller = self._new_poller(config, fetcher)
        known = {_identity(s.config): s.last_good for s in old.statuses().values() if s.last_good}
        for name, state in self.poller.statuses().items():
            snapshot = known.get(_identity(state.config)) or self._stored.get(name)
            if snapshot is not None:
                self.poller.seed(name, snapshot)
        self.poller.subscribe(self._on_poller_event)
        self.poller.start()
        log.info("configuration applied: %d services", len(self.services))
        self._changed()

    async def _reload_if_edited(self) -> None:
        """The config file changed on disk (an editor, `traywatch add`): apply it, or
        keep running with the last good one and say what is wrong."""
        from traywatch.config import load_config
        from traywatch.core.errors import ConfigError

        mtime = _mtime(self.config)
        if mtime is None or mtime == self._config_mtime:
            return
        self._config_mtime = mtime
        try:
            config = load_config(self.config.path)
        except ConfigError as exc:
            if str(exc) != self.config_problem:
                self.config_problem = str(exc)
                log.error("edited configuration not applied: %s", exc)
                self._changed()
            return
        await self.reconfigure(config)

    def _on_poller_event(self, event: PollerEvent) -> None:
        from traywatch.poller.scheduler import OfflineChanged, SnapshotEvent

        if isinstance(event, OfflineChanged):
            self.offline = event.offline
            self._changed()
        elif isinstance(event, SnapshotEvent):
            self.polls += 1
            service = self._service(event.service)
            every = self.config.interval_for(service) if service is not None else None
            now = self._clock()
            if event.unchanged:
                # The common case by far: nothing to write now, nothing new to show.
                check = Check(event.service, event.snapshot.fetched_at, every)
                self._unsaved_checks[event.service] = check
                # The page is the same, but the policy may still decide (an incident gone
                # two polls in a row is resolved, and a one-shot "notify when resolved"
                # with it): then the tray and window have something to show.
                wanted = self.policy.wants_resolution(event.service)
                said = self.policy.observe(event.service, event.snapshot, now)
                self._deliver(said)
                self._follow_endpoints(now)
                decided = bool(said) or wanted != self.policy.wants_resolution(event.service)
                if decided or _minute(now) != self._shown_minute:
                    self._changed()
                return
            # Polls that complete together (a cycle of many services) are saved in one
            # transaction and shown in one refresh, at the loop's next turn.
            self._unsaved_polls.append(Poll(event.service, event.snapshot, every))
            self._soon("_saving_soon", self._save_polls)
            self._deliver(self.policy.observe(event.service, event.snapshot, now))
            self._follow_endpoints(now)
            self._soon("_telling_soon", self._changed)

    def _soon(self, flag: str, work: Callable[[], None]) -> None:
        import asyncio

        if getattr(self, flag):
            return
        setattr(self, flag, True)

        def run() -> None:
            setattr(self, flag, False)
            work()

        asyncio.get_running_loop().call_soon(run)

    def _save_polls(self) -> None:
        count = len(self._unsaved_polls)
        try:
            self._save_checks()
        except sqlite3.Error as exc:
            log.warning("could not record %d polls: %s", count, exc)

    def _save_checks(self) -> None:
        """The unchanged polls' times and the others' snapshots, in one transaction."""
        import time

        self._checks_saved_at = time.monotonic()
        if not self._unsaved_checks and not self._unsaved_polls:
            return
        checks = list(self._unsaved_checks.values())
        polls = self._unsaved_polls
        self._unsaved_checks.clear()
        self._unsaved_polls = []
        self.store.record_polls(checks, polls)

    def _save_checks_now_and_then(self) -> None:
        import time

        if time.monotonic() - self._checks_saved_at < CHECKS_FLUSH_SECONDS / self._time_scale:
            return
        try:
            self._save_checks()
        except sqlite3.Error as exc:
            log.warning("could not record the times of checks: %s", exc)

    def _follow_endpoints(self, now: datetime) -> None:
        """While an endpoint fails, what its platforms say may change the answer."""
        if not any(s.kind == "http" for s in self.services):
            return
        snapshots = {s.name: self.snapshot(s.name) for s in self.services}
        mine = endpoints(self.services, snapshots)
        said = self.them_or_me.observe(mine, snapshots, offline=self.offline, now=now)
        self._deliver(self.policy.admit(said, now))

    async def _housekeeping(self) -> None:
        """Releases held notifications, announces a late baseline, notices sleep."""
        import asyncio

        loop = asyncio.get_running_loop()
        wall, mono = self._clock(), loop.time()
        baseline_done = False
        was_paused = self.paused
        while True:
            await asyncio.sleep(self._tick_seconds)
            now, now_mono = self._clock(), loop.time()
            jump = (now - wall) - timedelta(seconds=now_mono - mono)
            wall, mono = now, now_mono
            if jump > SLEEP_JUMP:
                log.info("woke from sleep (clock jumped %s): refreshing everything", jump)
                self._tasks.spawn(self._refresh_with_jitter(), "traywatch wake refresh")
            self._deliver(self.policy.tick(now))
            self._save_checks_now_and_then()
            if not baseline_done and now - self._started_at > BASELINE_PATIENCE:
                baseline_done = True
                self._deliver(self.policy.baseline_overdue(now))
            await self._reload_if_edited()
            paused = self.paused
            if paused != was_paused:  # a pause ran out
                self._changed()
            was_paused = paused

    async def _refresh_with_jitter(self) -> None:
        import asyncio

        await asyncio.sleep(random.uniform(0, WAKE_JITTER_SECONDS))
        self.refresh()

    def _deliver(self, notifications: list[Notification]) -> None:
        for notification in notifications:
            service = self._service(notification.service)
            if service is not None and service.kind == "http":
                notification = replace(notification, thread=thread_of(service.name))
                if notification.event in (ESCALATION, NEW_INCIDENT):
                    self._tasks.spawn(self._answer_then_send(notification), "traywatch notify")
                    continue
            self._record_and_send(notification)

    def _record_and_send(self, notification: Notification) -> None:
        try:
            self.store.record_notification(notification)
        except sqlite3.Error as exc:
            log.warning("could not record a notification: %s", exc)
        self._tasks.spawn(self._send(notification), "traywatch notify")

    async def _answer_then_send(self, notification: Notification) -> None:
        """An endpoint of the user's started failing: ask the platforms it runs on first
        (they may have changed since their last poll), then say whether they explain it."""
        import asyncio

        service = self._service(notification.service)
        if service is not None and self.poller is not None and service.depends_on:
            names = [s.name for s in self.services]
            platforms = {parse_dependency(e, names).platform for e in service.depends_on}
            polls = [self.poller.poll_now(p, unless_newer_than=FRESH_ENOUGH) for p in platforms]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*polls, return_exceptions=True),
                    self.config.settings.timeout + 5,
                )
        said = self.answers().get(notification.service)
        if said is not None:
            self.them_or_me.announced(notification.service, said, self._clock())
            if said.text:
                notification = replace(notification, body=f"{notification.body}\n{said.text}")
        self._record_and_send(notification)

    def _service(self, name: str) -> ServiceConfig | None:
        return next((s for s in self.services if s.name == name), None)

    async def _send(self, notification: Notification) -> None:
        log.info("notify [%s] %s: %s", notification.event, notification.title, notification.body)
        await self.notifier.notify(notification)


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _identity(service: ServiceConfig) -> tuple[object, ...]:
    """What makes two configured services the same watch, whatever their names."""
    return (service.kind, service.url, service.components, service.region, service.products)


def _mtime(config: Config) -> int | None:
    if config.path is None:
        return None
    try:
        return config.path.stat().st_mtime_ns
    except OSError:
        return None
