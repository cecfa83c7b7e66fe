"""The notification policy, on a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from traywatch.config.schema import NotificationSettings
from traywatch.core.model import (
    Component,
    Incident,
    IncidentUpdate,
    Maintenance,
    Severity,
    Snapshot,
    failed_snapshot,
)
from traywatch.notify import InMemoryPolicyMemory, Notification, NotificationPolicy

OP, MNT, DEG, PART, MAJ = (
    Severity.OPERATIONAL,
    Severity.MAINTENANCE,
    Severity.DEGRADED,
    Severity.PARTIAL_OUTAGE,
    Severity.MAJOR_OUTAGE,
)
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday, noon UTC
POLL = timedelta(minutes=2)


def incident(
    ident: str = "inc1",
    severity: Severity = DEG,
    status: str = "investigating",
    updates: tuple[str, ...] = ("We are investigating.",),
) -> Incident:
    return Incident(
        id=ident,
        title=f"Trouble {ident}",
        severity=severity,
        status=status,
        url=f"https://status.test/incidents/{ident}",
        updates=tuple(
            IncidentUpdate(at=T0 + timedelta(minutes=i), status=status, text=text)
            for i, text in enumerate(reversed(updates))
        )[::-1],
    )


def snap(
    severity: Severity = OP,
    incidents: tuple[Incident, ...] = (),
    maintenances: tuple[Maintenance, ...] = (),
    components: tuple[Component, ...] = (),
) -> Snapshot:
    active = [i for i in incidents if not i.resolved]
    worst = max([severity, *(i.severity for i in active)])
    return Snapshot(
        severity=worst,
        summary=active[0].title if active else worst.label,
        fetched_at=T0,
        incidents=incidents,
        maintenances=maintenances,
        components=components,
    )


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def advance(self, delta: timedelta = POLL) -> datetime:
        self.now += delta
        return self.now


def make(
    memory: InMemoryPolicyMemory | None = None, **settings: object
) -> tuple[NotificationPolicy, InMemoryPolicyMemory]:
    memory = memory or InMemoryPolicyMemory()
    policy = NotificationPolicy(
        NotificationSettings(**settings),  # type: ignore[arg-type]
        memory,
        local_tz=UTC,
    )
    return policy, memory


def started(
    first: Snapshot | None = None, service: str = "GitHub", **settings: object
) -> tuple[NotificationPolicy, InMemoryPolicyMemory, Clock]:
    """A policy that has taken its baseline for `service`."""
    first = first or snap()
    policy, memory = make(**settings)
    clock = Clock()
    (summary,) = policy.observe(service, first, clock.now)
    assert summary.event == "current_state"
    return policy, memory, clock


def events(notifications: list[Notification]) -> list[tuple[str, str]]:
    return [(n.service, n.event) for n in notifications]


# -- first start --------------------------------------------------------------------------


def test_first_start_announces_the_current_state_once_as_a_summary() -> None:
    memory = InMemoryPolicyMemory()
    policy = NotificationPolicy(
        NotificationSettings(), memory, services=["GitHub", "Heroku", "OpenAI"], local_tz=UTC
    )
    old = incident("old", MAJ, updates=("a", "b", "c"))
    assert policy.observe("GitHub", snap(incidents=(old,)), T0) == []
    assert policy.observe("Heroku", snap(), T0) == []
    (summary,) = policy.observe("OpenAI", snap(), T0)
    assert summary.event == "current_state"
    assert summary.title == "Watching 3 services"
    assert summary.body == "GitHub — Major outage: Trouble old\n2 other services operational"
    assert summary.severity is MAJ
    # the old incident is known now: it is not announced later
    assert policy.observe("GitHub", snap(incidents=(old,)), T0 + POLL) == []


def test_baseline_is_announced_when_a_service_never_answers() -> None:
    policy = NotificationPolicy(
        NotificationSettings(), InMemoryPolicyMemory(), services=["A", "B"], local_tz=UTC
    )
    assert policy.observe("A", snap(DEG), T0) == []
    assert policy.observe("B", failed_snapshot("HTTP 500", T0), T0) == []
    (summary,) = policy.baseline_overdue(T0 + timedelta(minutes=1))
    assert summary.title == "Watching 2 services"
    assert summary.body.splitlines()[0].startswith("A — Degraded")
    assert summary.body.splitlines()[1] == "1 service could not be checked"


def test_the_first_start_summary_never_counts_what_could_not_be_checked_as_operational() -> None:
    """A page that answered with no state we understand, a page whose polls failed, and
    one that never answered: none of them is "operational", and none "all systems"."""
    names = ["Fine", "Unreadable", "Failing", "Silent"]
    policy = NotificationPolicy(
        NotificationSettings(), InMemoryPolicyMemory(), services=names, local_tz=UTC
    )
    assert policy.observe("Fine", snap(), T0) == []
    assert policy.observe("Unreadable", Snapshot(Severity.UNKNOWN, "no state", T0), T0) == []
    assert policy.observe("Failing", failed_snapshot("timed out", T0), T0) == []
    (summary,) = policy.baseline_overdue(T0 + timedelta(minutes=1))
    assert summary.title == "Watching 4 services"
    # all three counts, in short: a bubble's line
    assert summary.body == "1 operational, 2 could not be checked, 1 pending"
    policy = NotificationPolicy(
        NotificationSettings(), InMemoryPolicyMemory(), services=names[:2], local_tz=UTC
    )
    policy.observe("Fine", snap(), T0)
    (summary,) = policy.observe("Unreadable", Snapshot(Severity.UNKNOWN, "no state", T0), T0)
    assert summary.body == "1 service operational, 1 service could not be checked"
    # every one unreadable: never "All systems operational"
    policy, _ = make()
    (summary,) = policy.observe("GitHub", Snapshot(Severity.UNKNOWN, "no state", T0), T0)
    assert summary.body == "1 service could not be checked"


def test_all_clear_first_start() -> None:
    policy, _ = make()
    (summary,) = policy.observe("GitHub", snap(), T0)
    assert (summary.title, summary.body) == ("Watching 1 service", "All systems operational")


# -- incidents ----------------------------------------------------------------------------


def test_a_new_incident_is_announced_at_once_and_only_once() -> None:
    policy, memory, clock = started()
    trouble = snap(incidents=(incident(severity=MAJ),))
    (new,) = policy.observe("GitHub", trouble, clock.advance())
    assert (new.event, new.severity, new.incident_id) == ("new_incident", MAJ, "inc1")
    assert new.title == "GitHub: Trouble inc1"
    assert new.body == "Major outage · investigating\nWe are investigating."
    assert new.urgency == "critical"
    assert new.url == "https://status.test/incidents/inc1"
    for _ in range(5):
        assert policy.observe("GitHub", trouble, clock.advance()) == []
    # after a restart: same memory, new policy object
    again, _ = make(memory)
    assert again.observe("GitHub", trouble, clock.advance()) == []


def test_routine_updates_do_not_interrupt_unless_asked() -> None:
    policy, _, clock = started()
    policy.observe("GitHub", snap(incidents=(incident(),)), clock.advance())
    updated = snap(incidents=(incident(updates=("Still investigating.", "We are investigating.")),))
    assert policy.observe("GitHub", updated, clock.advance()) == []

    chatty = NotificationPolicy(
        NotificationSettings(), InMemoryPolicyMemory(), every_update=["GitHub"], local_tz=UTC
    )
    chatty.observe("GitHub", snap(), T0)
    chatty.observe("GitHub", snap(incidents=(incident(),)), T0 + POLL)
    (update,) = chatty.observe("GitHub", updated, T0 + 2 * POLL)
    assert update.event == "incident_update"
    assert update.body == "Investigating: Still investigating."


def test_an_incident_getting_worse_is_an_escalation_once() -> None:
    policy, _, clock = started()
    policy.observe("GitHub", snap(incidents=(incident(severity=DEG),)), clock.advance())
    (worse,) = policy.observe("GitHub", snap(incidents=(incident(severity=MAJ),)), clock.advance())
    assert (worse.event, worse.severity, worse.title) == (
        "escalation",
        MAJ,
        "GitHub: now major outage",
    )
    # down and up again to a level already announced: nothing new to say
    assert (
        policy.observe("GitHub", snap(incidents=(incident(severity=DEG),)), clock.advance()) == []
    )
    assert (
        policy.observe("GitHub", snap(incidents=(incident(severity=MAJ),)), clock.advance()) == []
    )


def test_resolution_by_status_is_announced_at_once() -> None:
    policy, _, clock = started()
    policy.observe("GitHub", snap(incidents=(incident(severity=PART),)), clock.advance())
    done = snap(incidents=(incident(severity=PART, status="resolved"),))
    (resolved,) = policy.observe("GitHub", done, clock.advance())
    assert (resolved.event, resolved.incident_id) == ("incident_resolved", "inc1")
    assert resolved.title == "GitHub: resolved — Trouble inc1"
    assert resolved.body == "All systems operational again"
    assert resolved.urgency == "low"
    for _ in range(3):  # the following recovery of the service adds nothing
        assert policy.observe("GitHub", snap(), clock.advance()) == []


def test_an_incident_that_disappears_is_resolved_once_it_stays_away() -> None:
    policy, _, clock = started()
    open_ = snap(incidents=(incident(severity=PART),))
    policy.observe("GitHub", open_, clock.advance())
    assert policy.observe("GitHub", snap(), clock.advance()) == []  # one poll: maybe a glitch
    assert policy.observe("GitHub", open_, clock.advance()) == []  # it was: back, nothing said
    assert policy.observe("GitHub", snap(), clock.advance()) == []
    (resolved,) = policy.observe("GitHub", snap(), clock.advance())
    assert resolved.event == "incident_resolved"


def test_resolved_while_the_service_is_still_degraded_says_so() -> None:
    policy, _, clock = started()
    policy.observe("GitHub", snap(incidents=(incident("a"), incident("b", PART))), clock.advance())
    (resolved,) = policy.observe(
        "GitHub",
        snap(incidents=(incident("a", status="resolved"), incident("b", PART))),
        clock.advance(),
    )
    assert resolved.body == "Still partial outage: Trouble b"


def test_a_failed_poll_changes_nothing() -> None:
    policy, _, clock = started()
    policy.observe("GitHub", snap(incidents=(incident(),)), clock.advance())
    for _ in range(5):
        assert (
            policy.observe("GitHub", failed_snapshot("HTTP 502", clock.now), clock.advance()) == []
        )
    assert policy.observe("GitHub", snap(incidents=(incident(),)), clock.advance()) == []


# -- the service's own severity: flap suppression -------------------------------------------


def test_a_severity_change_must_hold_for_two_polls() -> None:
    policy, _, clock = started()
    assert policy.observe("GitHub", snap(PART), clock.advance()) == []
    (escalation,) = policy.observe("GitHub", snap(PART), clock.advance())
    assert (escalation.event, escalation.severity) == ("escalation", PART)
    assert escalation.title == "GitHub: partial outage"
    assert policy.observe("GitHub", snap(OP), clock.advance()) == []
    (recovery,) = policy.observe("GitHub", snap(OP), clock.advance())
    assert (recovery.event, recovery.title) == ("recovery", "GitHub is back to operational")
    assert recovery.body == "It was partial outage."


def test_a_reversal_within_the_window_cancels_the_change() -> None:
    policy, _, clock = started()
    for _ in range(10):  # flapping every poll: never announced
        assert policy.observe("GitHub", snap(DEG), clock.advance()) == []
        assert policy.observe("GitHub", snap(OP), clock.advance()) == []


def test_churning_components_without_a_severity_change_are_silent() -> None:
    pops = [Component(f"PoP {i}", PART if i % 3 == n % 3 else OP) for i in range(30) for n in [0]]
    policy, _, clock = started(snap(PART, components=tuple(pops)), service="Cloudflare")
    for n in range(50):
        churned = tuple(Component(f"PoP {i}", PART if i % 7 == n % 7 else OP) for i in range(30))
        assert policy.observe("Cloudflare", snap(PART, components=churned), clock.advance()) == []


def test_flap_polls_is_a_setting() -> None:
    policy, _, clock = started(flap_polls=3)
    assert policy.observe("GitHub", snap(DEG), clock.advance()) == []
    assert policy.observe("GitHub", snap(DEG), clock.advance()) == []
    assert events(policy.observe("GitHub", snap(DEG), clock.advance())) == [
        ("GitHub", "escalation")
    ]


def test_maintenance_start_is_announced_once() -> None:
    policy, _, clock = started()
    window = Maintenance(
        "m1", "Database upgrade", "scheduled", T0 + timedelta(hours=1), T0 + timedelta(hours=2)
    )
    assert policy.observe("GitHub", snap(maintenances=(window,)), clock.advance()) == []
    running = Maintenance("m1", "Database upgrade", "in_progress", window.starts_at, window.ends_at)
    (start,) = policy.observe("GitHub", snap(MNT, maintenances=(running,)), clock.advance())
    assert (start.event, start.title) == ("maintenance_started", "GitHub: maintenance started")
    assert start.body == "Database upgrade · until 14:00"
    for _ in range(3):
        assert policy.observe("GitHub", snap(MNT, maintenances=(running,)), clock.advance()) == []
    for _ in range(3):  # maintenance over: not an outage recovery
        assert policy.observe("GitHub", snap(OP), clock.advance()) == []


def europe(under_maintenance: int) -> tuple[Component, ...]:
    """Ten data centres in a region group, the first few under maintenance."""
    return tuple(
        Component(
            f"City {i}, Country - ({chr(65 + i) * 3})",
            MNT if i < under_maintenance else OP,
            group="Europe",
        )
        for i in range(10)
    )


def place_maintenances(count: int) -> tuple[Maintenance, ...]:
    return tuple(
        Maintenance(
            f"m{i}",
            f"{chr(65 + i) * 3} (City {i}) on 2026-03-02",
            "in_progress",
            T0,
            T0 + timedelta(hours=2 + i),
            components=(f"City {i}, Country - ({chr(65 + i) * 3})",),
        )
        for i in range(count)
    )


def test_maintenances_starting_together_are_one_notification_saying_where() -> None:
    policy, _, clock = started(service="Cloudflare")
    page = snap(MNT, maintenances=place_maintenances(6), components=europe(6))
    (start,) = policy.observe("Cloudflare", page, clock.advance())
    assert start.event == "maintenance_started"
    assert start.title == "Cloudflare: maintenance started in 6 data centres"
    assert start.body == (
        "AAA (City 0) on 2026-03-02 and 5 more\n"
        "6 data centres: AAA, BBB, CCC and 3 more · until 19:00"
    )
    assert start.tells == tuple(("maintenance_started", f"m{i}") for i in range(6))
    assert policy.observe("Cloudflare", page, clock.advance()) == []


def test_one_data_centre_of_many_in_maintenance_is_not_news() -> None:
    policy, _, clock = started(service="Cloudflare")
    page = snap(maintenances=place_maintenances(1), components=europe(1))
    for _ in range(3):
        assert policy.observe("Cloudflare", page, clock.advance()) == []


def test_a_storm_summary_names_services_and_events() -> None:
    names = ["GitHub", "Cloudflare"]
    policy = NotificationPolicy(
        NotificationSettings(storm_limit=1), InMemoryPolicyMemory(), services=names, local_tz=UTC
    )
    for name in names:
        policy.observe(name, snap(), T0)
    now = T0 + timedelta(minutes=5)
    delivered = policy.observe("GitHub", snap(incidents=(incident("runs"),)), now)
    assert [n.event for n in delivered] == ["new_incident"]
    page = snap(MNT, maintenances=place_maintenances(6), components=europe(6))
    assert policy.observe("Cloudflare", page, now) == []
    resolved = snap(incidents=(incident("runs", status="resolved"),))
    assert policy.observe("GitHub", resolved, now + timedelta(seconds=20)) == []
    (summary,) = policy.tick(now + timedelta(minutes=1))
    assert summary.title == "2 more changes"
    assert summary.body.splitlines() == [
        "Cloudflare: maintenance started in 6 data centres",
        "GitHub: incident resolved — Trouble runs",
    ]


def test_a_service_new_since_the_last_run_is_announced_alone() -> None:
    memory = InMemoryPolicyMemory()
    first = NotificationPolicy(NotificationSettings(), memory, services=["GitHub"], local_tz=UTC)
    assert [n.title for n in first.observe("GitHub", snap(MAJ), T0)] == ["Watching 1 service"]
    again = NotificationPolicy(
        NotificationSettings(), memory, services=["GitHub", "Heroku"], local_tz=UTC
    )
    assert again.observe("Heroku", snap(), T0 + POLL) == []  # GitHub not seen yet
    (added,) = again.observe("GitHub", snap(MAJ), T0 + POLL)
    assert (added.title, added.body) == ("Now watching Heroku", "Operational")


def test_a_service_added_later_is_announced_alone() -> None:
    policy, _, clock = started(snap(incidents=(incident("a", MAJ),)))
    (added,) = policy.observe("Heroku", snap(), clock.advance())
    assert (added.title, added.body) == ("Now watching Heroku", "Operational")


# -- what reaches the user ------------------------------------------------------------------


def test_mute_and_snooze() -> None:
    policy, _, clock = started()
    policy.set_muted("GitHub", True)
    assert policy.observe("GitHub", snap(incidents=(incident("a"),)), clock.advance()) == []
    policy.set_muted("GitHub", False)
    assert policy.observe("GitHub", snap(incidents=(incident("a"),)), clock.advance()) == []
    policy.snooze("GitHub", clock.now + timedelta(hours=1))
    assert policy.is_snoozed("GitHub", clock.now)
    two = snap(incidents=(incident("a"), incident("b")))
    assert policy.observe("GitHub", two, clock.advance()) == []
    clock.advance(timedelta(hours=1))
    three = snap(incidents=(incident("a"), incident("b"), incident("c")))
    assert [n.incident_id for n in policy.observe("GitHub", three, clock.advance())] == ["c"]


def test_minimum_severity() -> None:
    policy, _, clock = started(min_severity="partial_outage")
    assert policy.observe("GitHub", snap(incidents=(incident("a", DEG),)), clock.advance()) == []
    (major,) = policy.observe(
        "GitHub", snap(incidents=(incident("a", DEG), incident("b", MAJ))), clock.advance()
    )
    assert major.incident_id == "b"


def test_quiet_hours_hold_and_summarise_but_let_major_outages_through() -> None:
    policy, _, clock = started(quiet_hours="22:00-07:00")
    clock.advance(timedelta(hours=11))  # 23:00 UTC
    assert policy.observe("GitHub", snap(incidents=(incident("a", DEG),)), clock.now) == []
    (major,) = policy.observe(
        "GitHub", snap(incidents=(incident("a", DEG), incident("b", MAJ))), clock.advance()
    )
    assert major.incident_id == "b"
    assert policy.tick(clock.advance(timedelta(hours=6))) == []  # 05:02, still quiet
    (summary,) = policy.tick(clock.advance(timedelta(hours=2)))  # 07:02
    assert summary.event == "summary"
    assert summary.title == "While notifications were held: 1 change"
    assert summary.body == "GitHub: new incident — Trouble a"


def test_quiet_hours_can_hold_major_outages_too() -> None:
    policy, _, clock = started(quiet_hours="11:00-13:00", quiet_hours_allow_major=False)
    assert policy.observe("GitHub", snap(incidents=(incident("a", MAJ),)), clock.advance()) == []
    assert len(policy.tick(clock.advance(timedelta(hours=1)))) == 1


def test_pause_holds_everything_until_resumed() -> None:
    policy, _, clock = started()
    policy.pause(clock.now + timedelta(hours=1))
    assert policy.observe("GitHub", snap(incidents=(incident("a", MAJ),)), clock.advance()) == []
    assert policy.tick(clock.advance()) == []
    policy.pause(None)
    (summary,) = policy.tick(clock.advance())
    assert summary.body == "GitHub: new incident — Trouble a"


def test_storms_coalesce_beyond_three_a_minute() -> None:
    memory = InMemoryPolicyMemory()
    names = [f"S{i}" for i in range(6)]
    policy = NotificationPolicy(NotificationSettings(), memory, services=names, local_tz=UTC)
    for name in names:
        policy.observe(name, snap(), T0)
    now = T0 + timedelta(minutes=5)
    delivered = []
    for name in names:
        delivered += policy.observe(name, snap(incidents=(incident(name, MAJ),)), now)
    assert [n.service for n in delivered] == ["S0", "S1", "S2"]
    assert policy.tick(now + timedelta(seconds=30)) == []
    (summary,) = policy.tick(now + timedelta(seconds=61))
    assert summary.title == "3 more changes"
    assert summary.body.splitlines() == [
        "S3: new incident — Trouble S3",
        "S4: new incident — Trouble S4",
        "S5: new incident — Trouble S5",
    ]
    assert summary.tells == (("new_incident", "S3"), ("new_incident", "S4"), ("new_incident", "S5"))
    assert summary.service == "traywatch"


def test_notify_me_when_resolved_is_one_shot_and_passes_mute() -> None:
    policy, _, clock = started()
    policy.observe("GitHub", snap(PART), clock.advance())
    policy.observe("GitHub", snap(PART), clock.advance())
    policy.set_muted("GitHub", True)
    policy.notify_when_resolved("GitHub")
    assert policy.wants_resolution("GitHub")
    policy.observe("GitHub", snap(OP), clock.advance())
    (back,) = policy.observe("GitHub", snap(OP), clock.advance())
    assert back.event == "recovery"
    assert not policy.wants_resolution("GitHub")
    policy.observe("GitHub", snap(PART), clock.advance())
    policy.observe("GitHub", snap(PART), clock.advance())
    policy.observe("GitHub", snap(OP), clock.advance())
    assert policy.observe("GitHub", snap(OP), clock.advance()) == []  # muted again, no one-shot


def test_the_same_notification_is_never_sent_twice_across_restarts() -> None:
    policy, memory, clock = started()
    trouble = snap(incidents=(incident(severity=MAJ),))
    assert len(policy.observe("GitHub", trouble, clock.advance())) == 1
    restarted, _ = make(memory)
    assert restarted.observe("GitHub", trouble, clock.advance()) == []
    (resolved,) = restarted.observe(
        "GitHub", snap(incidents=(incident(severity=MAJ, status="resolved"),)), clock.advance()
    )
    assert resolved.event == "incident_resolved"
    restarted_again, _ = make(memory)
    assert restarted_again.observe("GitHub", snap(), clock.advance()) == []
    assert restarted_again.observe("GitHub", snap(), clock.advance()) == []


def test_urgency() -> None:
    def note(event: str, severity: Severity) -> Notification:
        return Notification(T0, "S", event, severity, "t", "b")

    assert note("new_incident", MAJ).urgency == "critical"
    assert note("escalation", PART).urgency == "normal"
    assert note("recovery", OP).urgency == "low"


def test_the_first_start_summary_fits_a_notification_bubble() -> None:
    """At most three short lines, however many services are in trouble: the worst one,
    then the others by name, then the count of the calm ones."""
    names = [f"Service {n}" for n in range(12)]
    policy = NotificationPolicy(
        NotificationSettings(), InMemoryPolicyMemory(), services=names, local_tz=UTC
    )
    long = "a" * 200
    told: list[Notification] = []
    for n, name in enumerate(names):
        trouble = (incident(f"i{n}", MAJ if n == 4 else DEG),) if n < 6 else ()
        snapshot = snap(incidents=trouble)
        if n == 5:
            snapshot = Snapshot(PART, long, T0)
        told += policy.observe(name, snapshot, T0)
    (summary,) = told
    lines = summary.body.splitlines()
    assert len(lines) == 3
    assert all(len(line) <= 56 for line in lines)
    assert lines[0].startswith("Service 4 — Major outage")  # the worst first
    assert lines[1].startswith("and 5 more: Service 5, Service 0")  # then the next worst
    assert lines[2] == "6 other services operational"
    assert summary.title == "Watching 12 services"
    # two in trouble: both named in full, still three lines
    policy = NotificationPolicy(
        NotificationSettings(), InMemoryPolicyMemory(), services=["A", "B", "C"], local_tz=UTC
    )
    policy.observe("A", snap(incidents=(incident("a", MAJ),)), T0)
    policy.observe("B", snap(incidents=(incident("b"),)), T0)
    (summary,) = policy.observe("C", snap(), T0)
    assert summary.body.splitlines() == [
        "A — Major outage: Trouble a",
        "B — Degraded: Trouble b",
        "1 other service operational",
    ]
