from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from traywatch.core.health import (
    ServiceView,
    TrayState,
    aggregate,
    has_active_incidents,
    headline,
    service_view,
    tooltip,
)
from traywatch.core.model import Incident, Severity, Snapshot, failed_snapshot

NOW = datetime(2026, 11, 29, 14, 3, tzinfo=UTC)


def good(severity: Severity, at: datetime = NOW, incidents: int = 0) -> Snapshot:
    return Snapshot(
        severity=severity,
        summary=f"{severity.label} summary",
        fetched_at=at,
        incidents=tuple(Incident(str(i), "t", severity, "investigating") for i in range(incidents)),
    )


def view(**kwargs: object) -> ServiceView:
    base: dict[str, object] = {
        "latest": None,
        "last_good": None,
        "failures": 0,
        "interval": 120.0,
        "now": NOW,
    }
    base.update(kwargs)
    return service_view("GitHub", "https://x.test", **base)  # type: ignore[arg-type]


def test_a_failed_poll_keeps_the_last_good_state_marked_stale() -> None:
    last = good(Severity.DEGRADED, NOW - timedelta(minutes=2))
    shown = view(latest=failed_snapshot("HTTP 502", NOW), last_good=last, failures=1)
    assert (shown.severity, shown.stale, shown.error) == (Severity.DEGRADED, True, "HTTP 502")
    assert shown.checked_at == NOW
    assert shown.good_at == last.fetched_at


def test_unknown_after_several_failures_or_when_too_old() -> None:
    last = good(Severity.DEGRADED, NOW - timedelta(minutes=2))
    failed = failed_snapshot("timed out after 10 s", NOW)
    assert view(latest=failed, last_good=last, failures=3).severity is Severity.UNKNOWN
    old = good(Severity.DEGRADED, NOW - timedelta(minutes=7))
    shown = view(latest=failed, last_good=old, failures=1)
    assert (shown.severity, shown.summary) == (
        Severity.UNKNOWN,
        "Could not check: timed out after 10 s",
    )


def test_remembered_state_is_shown_stale_until_the_first_poll() -> None:
    yesterday = good(Severity.MAJOR_OUTAGE, NOW - timedelta(days=1), incidents=1)
    shown = view(last_good=yesterday)
    assert (shown.severity, shown.stale, shown.active_incidents) == (Severity.MAJOR_OUTAGE, True, 1)
    assert view().severity is Severity.UNKNOWN


def test_aggregate() -> None:
    def v(severity: Severity, snoozed: bool = False) -> ServiceView:
        return ServiceView("s", "u", severity, False, "", None, NOW, NOW, 0, snoozed)

    ok, deg, maj = v(Severity.OPERATIONAL), v(Severity.DEGRADED), v(Severity.MAJOR_OUTAGE)
    unknown, mnt = v(Severity.UNKNOWN), v(Severity.MAINTENANCE)
    assert aggregate([ok, deg, maj], offline=False) is TrayState.MAJOR_OUTAGE
    assert aggregate([ok, deg, maj], offline=True) is TrayState.OFFLINE
    assert aggregate([ok, mnt, unknown], offline=False) is TrayState.UNKNOWN
    assert aggregate([ok, mnt], offline=False) is TrayState.MAINTENANCE
    assert (
        aggregate([ok, v(Severity.MAJOR_OUTAGE, snoozed=True)], offline=False)
        is TrayState.OPERATIONAL
    )
    assert aggregate([], offline=False) is TrayState.OPERATIONAL
    # a pause is drawn over the state (ui/icons.py), never instead of it
    assert "PAUSED" not in TrayState.__members__


def test_tooltip_all_clear_and_troubled() -> None:
    calm = [view(latest=good(Severity.OPERATIONAL)) for _ in range(12)]
    local = NOW.astimezone()
    assert tooltip(calm, offline=False, paused_until=None, now=NOW) == (
        f"All systems operational · 12 services · checked {local:%H:%M}"
    )
    heroku = service_view(
        "Heroku",
        "u",
        latest=good(Severity.MAJOR_OUTAGE),
        last_good=None,
        failures=0,
        interval=120,
        now=NOW,
    )
    text = tooltip([heroku, *calm], offline=False, paused_until=None, now=NOW)
    assert text.splitlines() == [
        "Heroku — Major outage: Major outage summary",
        f"Checked {local:%H:%M}",
    ]
    assert has_active_incidents([heroku]) is False


def test_tooltip_offline_and_paused() -> None:
    views = [view(latest=good(Severity.OPERATIONAL))]
    text = tooltip(views, offline=True, paused_until=NOW + timedelta(hours=1), now=NOW)
    assert text.startswith("You are offline · showing what was known")
    assert "Notifications paused until" in text


def named(name: str, severity: Severity, summary: str) -> ServiceView:
    snapshot = Snapshot(severity=severity, summary=summary, fetched_at=NOW)
    return service_view(
        name, "u", latest=snapshot, last_good=None, failures=0, interval=120, now=NOW
    )


def test_tooltip_is_bounded_worst_first() -> None:
    views = [named(f"S{i}", Severity.DEGRADED, f"Thing {i}") for i in range(9)]
    views.append(named("Worst", Severity.MAJOR_OUTAGE, "API (incident: Errors)"))
    lines = tooltip(views, offline=False, paused_until=None, now=NOW).splitlines()
    assert lines[0] == "Worst — Major outage: API (incident: Errors)"
    assert len(lines) == 8  # six services, "and 4 more", when checked
    assert lines[6] == "and 4 more"


def test_tooltip_never_repeats_a_label() -> None:
    from traywatch.core.focus import narrow
    from traywatch.providers.statuspage import parse_summary

    summary = {
        "status": {"indicator": "minor", "description": "Minor Service Outage"},
        "components": [
            {"id": "a", "name": "DNS", "status": "degraded_performance"},
            {"id": "b", "name": "CDN", "status": "operational"},
        ],
        "incidents": [],
    }
    snapshot = parse_summary(summary, fetched_at=NOW, page_url="")
    for shown in (snapshot, narrow(snapshot, ("DNS",))):
        view_ = service_view(
            "Cloudflare", "u", latest=shown, last_good=None, failures=0, interval=120, now=NOW
        )
        (line, _) = tooltip([view_], offline=False, paused_until=None, now=NOW).splitlines()
        assert line == "Cloudflare — Degraded: DNS"


def test_a_service_not_checked_yet_says_checking_never_operational() -> None:
    unchecked = view()
    assert (unchecked.severity, unchecked.label, unchecked.summary) == (
        Severity.UNKNOWN,
        "Checking…",
        "Checking…",
    )
    calm = view(latest=good(Severity.OPERATIONAL))
    text = tooltip([calm, unchecked], offline=False, paused_until=None, now=NOW)
    assert "All systems operational" not in text
    assert text.splitlines()[0] == "GitHub — Checking…"
    assert calm.label == "Operational"


def renamed(name: str, shown: ServiceView) -> ServiceView:
    return replace(shown, name=name)


def test_the_headline_gives_the_verdict_on_all_of_them_in_plain_words() -> None:
    fine = view(latest=good(Severity.OPERATIONAL))
    failed = view(latest=failed_snapshot("timed out after 10 s", NOW), failures=3)
    checking = view()
    outage = view(latest=good(Severity.MAJOR_OUTAGE))
    degraded = view(latest=good(Severity.DEGRADED))
    maintenance = view(latest=good(Severity.MAINTENANCE))
    calm = [renamed(f"S{n}", fine) for n in range(3)]
    assert headline(calm, offline=False) == "All 3 services operational"
    # could not be checked: never counted as operational
    assert headline([*calm, renamed("OpenAI", failed)], offline=False) == (
        "Could not check 1 of 4: OpenAI"
    )
    # trouble first, worst first, and said of how many
    watched = [*calm, renamed("Slow", degraded), renamed("OpenAI", failed), renamed("Down", outage)]
    assert headline(watched, offline=False) == "Trouble at 2 of 6: Down, Slow"
    assert headline([*calm, renamed("Atlassian", maintenance)], offline=False) == (
        "Maintenance at 1 of 4: Atlassian"
    )
    assert headline([*calm, renamed("New", checking)], offline=False) == "Checking 4 services…"
    # a snoozed one is left out, as from the icon
    snoozed = replace(renamed("Down", outage), snoozed=True)
    assert headline([*calm, snoozed], offline=False) == "All 3 services operational"
    assert headline(watched, offline=True).startswith("You are offline")
    many = [renamed(f"A service with a long name {n}", outage) for n in range(5)]
    assert len(headline(many, offline=False)) <= 64
