"""Is it them or me? The answer for a failing endpoint of the user's, and the follow-ups
when it changes.

Status pages admit outages late: when an endpoint starts failing, the platform it
runs on usually says nothing yet. So the answer is not given once and forgotten:
while the endpoint fails, the platform starting to report trouble ties the two
together in one notification ("Shop API is failing — Litware now reports a major
outage"), and the platform recovering while the endpoint still fails says it is
probably the user's own problem now. Failures the platforms don't explain are read
across endpoints: several endpoints on one silent platform are an early warning
about that platform; endpoints on unrelated platforms failing together point at
the user's own network.

Pure: snapshots and the time go in, answers and notifications come out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from traywatch.config.schema import ServiceConfig
from traywatch.core.model import Severity, Snapshot
from traywatch.core.runs_on import Answer, Dependency, Verdict, parse_dependency, report
from traywatch.notify.policy import Notification

EXPLAINED = "explained"  # the platform now reports trouble: it explains the failure
UNEXPLAINED = "unexplained"  # the platform is fine again, the endpoint still fails
EARLY_WARNING = "early_warning"  # several endpoints on one silent platform fail
YOUR_NETWORK = "your_network"  # endpoints on unrelated platforms fail together

# "Several" endpoints failing together.
SEVERAL = 2


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    dependencies: tuple[Dependency, ...]
    severity: Severity  # its latest known state
    reason: str  # "HTTP 500", "timed out after 10 s"

    @property
    def failing(self) -> bool:
        return self.severity >= Severity.DEGRADED

    @property
    def platforms(self) -> frozenset[str]:
        return frozenset(d.platform for d in self.dependencies)


def answer(
    endpoint: Endpoint,
    platforms: Mapping[str, Snapshot | None],
    *,
    offline: bool = False,
    failing: Sequence[Endpoint] = (),
) -> Answer:
    """What to tell the user about `endpoint` now; `failing` are all the endpoints
    failing at the moment (it may be among them)."""
    reports = tuple(report(d, platforms.get(d.platform)) for d in endpoint.dependencies)
    if offline:
        names = " or ".join(sorted(endpoint.platforms))
        blame = f", not {names}" if names else ""
        text = f"This computer seems to be offline: probably your network{blame}"
        return Answer(Verdict.OFFLINE, text, reports)
    if not endpoint.failing:
        return Answer(Verdict.NOTHING_TO_SAY, "", reports)
    troubled = [r for r in reports if r.in_trouble]
    if troubled:
        return Answer(Verdict.THEM, _sentence("; ".join(r.describe() for r in troubled)), reports)
    together = _network_trouble(endpoint, failing, platforms)
    if together:
        return Answer(
            Verdict.YOUR_NETWORK,
            f"{len(together)} of your endpoints on unrelated platforms are failing at once, "
            "and those platforms report nothing: probably your network",
            reports,
        )
    if not reports:
        return Answer(Verdict.NOTHING_TO_SAY, "", reports)
    unchecked = [r.dependency.platform for r in reports if not r.checked]
    # "Heroku for Data": a platform's incident elsewhere is not said to be none at all
    fine = [_named_part(r.dependency) for r in reports if r.checked]
    if not fine:
        return Answer(Verdict.UNCHECKED, f"{' and '.join(unchecked)} could not be checked", reports)
    text = f"No incident reported by {' or '.join(dict.fromkeys(fine))} yet"
    if unchecked:
        text += f"; {' and '.join(unchecked)} could not be checked"
    return Answer(Verdict.NOT_REPORTED, text, reports)


def _named_part(dependency: Dependency) -> str:
    if dependency.component is None:
        return dependency.platform
    return f"{dependency.platform} for {dependency.component}"


def _network_trouble(
    endpoint: Endpoint, failing: Sequence[Endpoint], platforms: Mapping[str, Snapshot | None]
) -> list[Endpoint]:
    """The failing endpoints, when several fail at once on platforms that have nothing in
    common and report nothing; [] otherwise."""
    together = [e for e in failing if e.failing]
    if endpoint.name not in {e.name for e in together}:
        together.append(endpoint)
    if len(together) < SEVERAL:
        return []
    for one in together:
        for other in together:
            if one is not other and one.platforms & other.platforms:
                return []  # a platform in common: that is an early warning about it
    for one in together:
        for dependency in one.dependencies:
            if report(dependency, platforms.get(dependency.platform)).in_trouble:
                return []
    return together


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(slots=True)
class _Announced:
    verdict: Verdict
    failing_since: datetime


@dataclass(slots=True)
class ThemOrMe:
    """Follows failing endpoints after their first notification, and the platforms
    they run on, and says what changed in the answer."""

    _failing_since: dict[str, datetime] = field(default_factory=dict)
    _announced: dict[str, _Announced] = field(default_factory=dict)
    _warned_platforms: dict[str, int] = field(default_factory=dict)  # how many were failing
    _warned_network: bool = False

    def failing_since(self, endpoint: str) -> datetime | None:
        return self._failing_since.get(endpoint)

    def announced(self, endpoint: str, said: Answer, now: datetime) -> None:
        """The endpoint's failure notification went out with this answer."""
        since = self._failing_since.setdefault(endpoint, now)
        self._announced[endpoint] = _Announced(said.verdict, since)

    def observe(
        self,
        endpoints: Sequence[Endpoint],
        platforms: Mapping[str, Snapshot | None],
        *,
        offline: bool,
        now: datetime,
    ) -> list[Notification]:
        failing = [e for e in endpoints if e.failing]
        for endpoint in endpoints:
            if endpoint.failing:
                self._failing_since.setdefault(endpoint.name, now)
            else:
                self._failing_since.pop(endpoint.name, None)
                self._announced.pop(endpoint.name, None)
        out: list[Notification] = []
        for endpoint in failing:
            said = self._announced.get(endpoint.name)
            if said is None:
                continue  # its own failure notification has not gone out yet
            now_answer = answer(endpoint, platforms, offline=offline, failing=failing)
            follow_up = self._follow_up(endpoint, said, now_answer, now)
            if follow_up is not None:
                out.append(follow_up)
            if now_answer.verdict is not Verdict.NOTHING_TO_SAY:
                said.verdict = now_answer.verdict
        out += self._early_warnings(failing, platforms, offline, now)
        out += self._network_warning(failing, platforms, offline, now)
        return out

    def _follow_up(
        self, endpoint: Endpoint, said: _Announced, now_answer: Answer, now: datetime
    ) -> Notification | None:
        if now_answer.verdict is Verdict.THEM and said.verdict is not Verdict.THEM:
            worst = max(now_answer.troubled, key=lambda r: r.severity)
            since = worst.since or now
            when = f"since {since.astimezone():%H:%M}"
            lag = max(0, round((since - said.failing_since).total_seconds() / 60))
            if lag:
                when += f", {lag} min after {endpoint.name} began failing"
            first = (
                f"Affecting {', '.join(worst.affected[:3])} ({when})"
                if worst.affected
                else (_sentence(when))
            )
            incident = worst.incident
            return Notification(
                now,
                endpoint.name,
                EXPLAINED,
                endpoint.severity,
                f"{endpoint.name} is failing — {worst.dependency.platform} now reports "
                f"{worst.trouble}",
                f"{first}\n{incident.title}" if incident else first,
                incident.id if incident else None,
                incident.url if incident else None,
                thread=thread_of(endpoint.name),
            )
        if said.verdict is Verdict.THEM and now_answer.verdict is Verdict.NOT_REPORTED:
            platforms = " and ".join(sorted(endpoint.platforms))
            return Notification(
                now,
                endpoint.name,
                UNEXPLAINED,
                endpoint.severity,
                f"{platforms} is back to normal but {endpoint.name} still fails",
                f"Probably yours now: {endpoint.reason}",
                thread=thread_of(endpoint.name),
            )
        return None

    def _early_warnings(
        self,
        failing: Sequence[Endpoint],
        platforms: Mapping[str, Snapshot | None],
        offline: bool,
        now: datetime,
    ) -> list[Notification]:
        out: list[Notification] = []
        on_platform: dict[str, list[Endpoint]] = {}
        for endpoint in failing:
            for platform in endpoint.platforms:
                on_platform.setdefault(platform, []).append(endpoint)
        warranted: dict[str, int] = {}
        for platform, endpoints in on_platform.items():
            snapshot = platforms.get(platform)
            silent = not report(Dependency(platform), snapshot).in_trouble
            if offline or len(endpoints) < SEVERAL or not silent or snapshot is None:
                continue
            warranted[platform] = len(endpoints)
            if len(endpoints) <= self._warned_platforms.get(platform, 0):
                continue  # said already; said again (in its place) when more fail
            names = ", ".join(e.name for e in endpoints)
            out.append(
                Notification(
                    now,
                    platform,
                    EARLY_WARNING,
                    max(e.severity for e in endpoints),
                    f"{len(endpoints)} of your endpoints on {platform} are failing",
                    f"{platform} reports nothing yet. Failing: {names}",
                    thread=f"early-warning:{platform}",
                )
            )
        # an episode ends when it no longer holds; fewer failing is not news
        self._warned_platforms = {
            p: max(n, self._warned_platforms.get(p, 0)) for p, n in warranted.items()
        }
        return out

    def _network_warning(
        self,
        failing: Sequence[Endpoint],
        platforms: Mapping[str, Snapshot | None],
        offline: bool,
        now: datetime,
    ) -> list[Notification]:
        together = (
            [] if offline or not failing else _network_trouble(failing[0], failing, platforms)
        )
        if not together:
            self._warned_network = False
            return []
        if self._warned_network:
            return []
        self._warned_network = True
        names = ", ".join(e.name for e in together)
        return [
            Notification(
                now,
                "traywatch",
                YOUR_NETWORK,
                max(e.severity for e in together),
                "Probably your network",
                f"{len(together)} of your endpoints on unrelated platforms are failing at once "
                f"and those platforms report nothing: {names}",
                thread="your-network",
            )
        ]


def thread_of(endpoint: str) -> str:
    """Notifications about one endpoint's failure replace each other on screen."""
    return f"endpoint:{endpoint}"


def endpoints(
    services: Sequence[ServiceConfig], snapshots: Mapping[str, Snapshot | None]
) -> list[Endpoint]:
    """The user's own endpoints (kind "http") among `services`, in their latest state."""
    names = [s.name for s in services]
    out = []
    for service in services:
        if service.kind != "http":
            continue
        snapshot = snapshots.get(service.name)
        out.append(
            Endpoint(
                service.name,
                tuple(parse_dependency(entry, names) for entry in service.depends_on or ()),
                snapshot.severity if snapshot is not None else Severity.UNKNOWN,
                snapshot.summary if snapshot is not None else "",
            )
        )
    return out


def answers(
    services: Sequence[ServiceConfig],
    snapshots: Mapping[str, Snapshot | None],
    *,
    offline: bool,
) -> dict[str, Answer]:
    """The answer for every endpoint among `services` (its platforms among them too)."""
    mine = endpoints(services, snapshots)
    failing = [e for e in mine if e.failing]
    return {e.name: answer(e, snapshots, offline=offline, failing=failing) for e in mine}
