"""The poller: one asyncio task per service, polite timing, and events for subscribers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from types import MappingProxyType
from urllib.parse import urlsplit

from traywatch.config.schema import MIN_INTERVAL, Config, ServiceConfig
from traywatch.core.errors import (
    FetchError,
    NetworkError,
    ParseError,
    RateLimited,
    TraywatchError,
)
from traywatch.core.focus import narrow
from traywatch.core.model import Severity, Snapshot, failed_snapshot, same_content
from traywatch.endpoint_check import HttpCheck, auth_headers, evaluate
from traywatch.endpoint_check import failure as endpoint_failure
from traywatch.poller.detect import detect
from traywatch.poller.fetch import fetch_snapshot
from traywatch.poller.http import Fetcher
from traywatch.providers import get_provider
from traywatch.tasks import TaskSupervisor

log = logging.getLogger(__name__)

MAX_BACKOFF = 15 * 60.0
JITTER = 0.10
# Polls of one host at a time, whatever the overall concurrency: a page's server (or a
# status page host serving many of the user's pages) is not flooded.
PER_HOST = 6


@dataclass(frozen=True, slots=True)
class SnapshotEvent:
    service: str
    snapshot: Snapshot
    previous: Snapshot | None
    # The page says what it said at the previous poll (a 304, or the same content): only
    # the time of the check moved. Listeners can skip their work for it.
    unchanged: bool = False


@dataclass(frozen=True, slots=True)
class SeverityChanged:
    service: str
    old: Severity | None
    new: Severity
    at: datetime


@dataclass(frozen=True, slots=True)
class OfflineChanged:
    offline: bool


PollerEvent = SnapshotEvent | SeverityChanged | OfflineChanged
Subscriber = Callable[[PollerEvent], None]


@dataclass(slots=True)
class ServiceState:
    config: ServiceConfig
    kind: str | None
    kind_detected: bool = False
    snapshot: Snapshot | None = None  # the latest, failed or not
    last_good: Snapshot | None = None
    consecutive_failures: int = 0
    last_error: TraywatchError | None = None
    retry_after: float | None = None
    final_url: str | None = None
    next_poll_at: datetime | None = None
    due: float | None = None  # the loop time of the next poll
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    polling: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def network_failed(self) -> bool:
        return isinstance(self.last_error, NetworkError)


@dataclass(frozen=True, slots=True)
class ServiceStatus:
    """What the poller knows of one service, as of the moment it was asked: the read-only
    view the monitor (and through it the UI) reads, instead of the poller's own state."""

    name: str
    config: ServiceConfig
    snapshot: Snapshot | None  # the latest, failed or not
    last_good: Snapshot | None
    failures: int  # polls in a row that failed
    next_poll_at: datetime | None


def _status(state: ServiceState) -> ServiceStatus:
    return ServiceStatus(
        state.name,
        state.config,
        state.snapshot,
        state.last_good,
        state.consecutive_failures,
        state.next_poll_at,
    )


def coalesce(when: float, slot: float) -> float:
    """The first point of a grid of `slot` seconds at or after `when` (a loop time): polls
    due within the same slot share one timer, so that twenty services with the same
    interval wake the process a few times per interval, not twenty."""
    if slot <= 0:
        return when
    return math.ceil(when / slot) * slot


def next_delay(
    interval: float,
    failures: int,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds until the next poll: the interval, doubled per failure in a row up to
    15 minutes, never sooner than the server's Retry-After, with ±10 % jitter so that
    many installs do not hit a page in lockstep."""
    delay = interval
    if failures > 1:
        delay = max(interval, min(interval * 2 ** min(failures - 1, 16), MAX_BACKOFF))
    if retry_after is not None:
        delay = max(delay, retry_after)
    jitter = (rng or random).uniform(1 - JITTER, 1 + JITTER)
    return delay * jitter


class Poller:
    def __init__(
        self,
        config: Config,
        fetcher: Fetcher,
        *,
        rng: random.Random | None = None,
        min_interval: float = MIN_INTERVAL,
        time_scale: float = 1.0,
        per_host: int = PER_HOST,
    ) -> None:
        self.config = config
        self.fetcher = fetcher
        self._rng = rng or random.Random()
        self._min_interval = min_interval
        # Soak tests and benchmarks run the app's clock faster: intervals shrink by this.
        self._time_scale = time_scale
        self._semaphore = asyncio.Semaphore(config.settings.concurrency)
        self._per_host = per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._subscribers: list[Subscriber] = []
        self._tasks = TaskSupervisor()
        self._started = False
        self.offline = False
        self._secrets: dict[str, str] = {}
        self.states: dict[str, ServiceState] = {
            s.name: ServiceState(config=s, kind=s.kind) for s in config.services if s.enabled
        }

    # -- what is known ---------------------------------------------------------------

    def status(self, service: str) -> ServiceStatus | None:
        """One service's status (None: not watched)."""
        state = self.states.get(service)
        return _status(state) if state is not None else None

    def statuses(self) -> Mapping[str, ServiceStatus]:
        """Every watched service's status, by name."""
        return MappingProxyType({name: _status(state) for name, state in self.states.items()})

    # -- subscribers ---------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a listener; call the returned function to remove it."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(subscriber)

        return unsubscribe

    def _emit(self, event: PollerEvent) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:  # one broken listener must not stop the others or the poller
                log.exception("subscriber %r failed on %s", subscriber, type(event).__name__)

    # -- polling -------------------------------------------------------------------

    def seed(self, service: str, snapshot: Snapshot) -> None:
        """Start from what was known before (e.g. the store), without announcing it."""
        state = self.states.get(service)
        if state is not None and state.snapshot is None:
            state.snapshot = snapshot
            state.last_good = snapshot if snapshot.ok else None

    async def poll_all(self) -> list[ServiceState]:
        """Poll every service once, concurrently within the limit; wait for all."""
        await asyncio.gather(*(self.poll(state) for state in self.states.values()))
        return list(self.states.values())

    async def poll(self, state: ServiceState) -> Snapshot:
        if state.polling.locked() and state.snapshot is not None:
            async with state.polling:  # one poll of a page at a time: share its answer
                return state.snapshot
        async with state.polling:
            wait = self.fetcher.seconds_until_allowed(state.config.url)
            if wait > 0:
                await asyncio.sleep(wait)
            async with self._host_slot(state.config.url), self._semaphore:
                snapshot = await self._fetch(state)
            self._publish(state, snapshot)
            return snapshot

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).hostname or ""
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(self._per_host)
        return slot

    async def poll_now(self, service: str, unless_newer_than: float) -> Snapshot | None:
        """The service's state as of now: polled at once (within the host's backoff)
        unless its latest answer is younger than `unless_newer_than` seconds."""
        state = self.states.get(service)
        if state is None:
            return None
        latest = state.snapshot
        if latest is not None:
            age = (datetime.now(UTC) - latest.fetched_at).total_seconds()
            if age < unless_newer_than:
                return latest
        return await self.poll(state)

    async def _fetch(self, state: ServiceState) -> Snapshot:
        try:
            snapshot = await self._fetch_snapshot(state)
        except TraywatchError as exc:  # fetch, parse, detection, secrets: all say why
            self._record_failure(state, exc)
            return failed_snapshot(str(exc), datetime.now(UTC))
        except Exception as exc:  # a bug must not kill the service's task
            log.exception("unexpected error polling %s", state.name)
            self._record_failure(state, TraywatchError("internal error, see the log"))
            return failed_snapshot(
                f"internal error ({type(exc).__name__}), see the log", datetime.now(UTC)
            )
        if state.config.components:
            snapshot = narrow(snapshot, state.config.components)
        if state.consecutive_failures:
            log.info("%s: recovered after %d failed polls", state.name, state.consecutive_failures)
        state.consecutive_failures = 0
        state.last_error = None
        state.retry_after = None
        state.last_good = snapshot
        return snapshot

    async def _fetch_snapshot(self, state: ServiceState) -> Snapshot:
        url = state.config.url
        options = state.config.provider_options
        if state.kind == "http":
            return await self._check_endpoint(state)
        if state.kind is None:
            provider, fetched = await detect(self.fetcher, url, options)
            state.kind = provider.kind
            state.kind_detected = True
            state.final_url = fetched.url
            return fetched.snapshot
        provider = get_provider(state.kind)
        error: TraywatchError | None = None
        for endpoint in provider.endpoints(url):
            try:
                fetched = await fetch_snapshot(
                    self.fetcher, provider, endpoint, url, options, last_good=state.last_good
                )
                state.final_url = fetched.url
                return fetched.snapshot
            except (FetchError, ParseError) as exc:
                if isinstance(exc, NetworkError):
                    raise  # another endpoint on the same network will not do better
                error = error or exc
        assert error is not None
        raise error

    async def _check_endpoint(self, state: ServiceState) -> Snapshot:
        config = state.config
        check = HttpCheck(
            method=config.method or "GET",
            expect_status=config.expect_status,
            body_contains=config.body_contains,
            body_regex=config.body_regex,
            degraded_after=config.degraded_after,
        )
        headers = dict(config.headers or ())
        if config.auth and config.secret:
            secret = await self._secret(config.secret)
            headers.update(auth_headers(config.auth, config.username, secret))
        try:
            answer = await self.fetcher.request(check.method, config.url, headers)
        except NetworkError:
            raise  # maybe our own network: offline detection and backoff take it from here
        except FetchError as exc:
            return endpoint_failure(exc, datetime.now(UTC))  # refused, timed out…: it is down
        state.final_url = answer.url
        return evaluate(
            check,
            status=answer.status,
            body=answer.body,
            elapsed=answer.elapsed,
            fetched_at=datetime.now(UTC),
        )

    async def _secret(self, ref: str) -> str:
        """From the OS keyring, read once per run (the keyring may prompt or be slow)."""
        if ref not in self._secrets:
            from traywatch.config.secrets import get_secret

            value = await asyncio.to_thread(get_secret, ref)
            if value is None:
                raise TraywatchError(f"the secret '{ref}' is not in the keyring")
            self._secrets[ref] = value
        return self._secrets[ref]

    def _record_failure(self, state: ServiceState, exc: TraywatchError) -> None:
        state.consecutive_failures += 1
        state.last_error = exc
        state.retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
        if state.consecutive_failures == 1:
            log.warning("%s: could not check: %s", state.name, exc)

    def _publish(self, state: ServiceState, snapshot: Snapshot) -> None:
        previous = state.snapshot
        state.snapshot = snapshot
        unchanged = (
            previous is not None
            and previous.ok
            and snapshot.ok
            and "latency" not in snapshot.extra  # an endpoint's every answer is recorded
            and same_content(previous, snapshot)
        )
        self._emit(SnapshotEvent(state.name, snapshot, previous, unchanged))
        old = previous.severity if previous is not None else None
        if old is not snapshot.severity:
            self._emit(SeverityChanged(state.name, old, snapshot.severity, snapshot.fetched_at))
        self._update_offline()

    def _update_offline(self) -> None:
        polled = [s for s in self.states.values() if s.snapshot is not None]
        offline = bool(polled) and all(s.network_failed for s in polled)
        if offline != self.offline:
            self.offline = offline
            if offline:
                log.warning("offline: no status page can be reached")
            else:
                log.info("back online")
            self._emit(OfflineChanged(offline))

    # -- running -------------------------------------------------------------------

    def interval_for(self, state: ServiceState) -> float:
        return max(self._min_interval, self.config.interval_for(state.config)) / self._time_scale

    def start(self) -> None:
        """Start one task per service; each polls at once, then on its own interval.
        A task that fails is logged, shows as the service's reason and starts again."""
        if self._started:
            return
        self._started = True
        for state in self.states.values():
            self._tasks.supervise(
                partial(self._run, state),
                f"poll {state.name}",
                on_crash=partial(self._crashed, state),
            )

    def _crashed(self, state: ServiceState, _task: str, exc: BaseException) -> None:
        reason = f"internal error ({type(exc).__name__}), see the log"
        self._record_failure(state, TraywatchError(reason))
        self._publish(state, failed_snapshot(reason, datetime.now(UTC)))

    async def _run(self, state: ServiceState) -> None:
        while True:
            # Cleared before polling, so that a refresh asked for during a poll is not lost.
            state.wake.clear()
            await self.poll(state)
            interval = self.interval_for(state)
            delay = next_delay(interval, state.consecutive_failures, state.retry_after, self._rng)
            loop = asyncio.get_running_loop()
            # The jitter spreads polls over ±10 % of the interval; slots of 10 % gather
            # them into at most three wake-ups, never earlier than the delay. The grid is
            # this process's own clock: installs still do not poll in step.
            due = coalesce(loop.time() + delay, interval * JITTER)
            state.due = due
            state.next_poll_at = datetime.now(UTC) + timedelta(seconds=due - loop.time())
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(due):
                    await state.wake.wait()

    def refresh(self, service: str | None = None) -> None:
        """Poll now: every service, or the one named."""
        for state in self.states.values():
            if service is None or state.name == service:
                state.wake.set()

    async def stop(self) -> None:
        await self._tasks.close()
