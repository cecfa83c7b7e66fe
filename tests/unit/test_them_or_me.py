"""Is it them or me: the answer for a failing endpoint, and what follows when the
platforms it runs on change — on recorded Heroku and GitHub payloads, on a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import fixture_bytes
from traywatch.core.model import Severity, Snapshot, failed_snapshot
from traywatch.core.runs_on import Dependency, Verdict, parse_dependency, report
from traywatch.notify.them_or_me import Endpoint, ThemOrMe, answer
from traywatch.providers import get_provider

NOW = datetime(2025, 6, 10, 17, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def parse(kind: str, fixture: str) -> Snapshot:
    return get_provider(kind).parse(
        fixture_bytes(fixture), fetched_at=NOW, page_url="https://x.test"
    )


HEROKU_DOWN = parse("heroku", "heroku/apps-red-incident.json")
HEROKU_CALM = parse("heroku", "heroku/all-green.json")
GITHUB_CALM = parse("statuspage", "statuspage/githubstatus-summary-all-operational.json")


def shop(severity: Severity = Severity.MAJOR_OUTAGE, *runs_on: str) -> Endpoint:
    deps = tuple(parse_dependency(e) for e in runs_on or ("Heroku",))
    return Endpoint("Shop API", deps, severity, "HTTP 500")


def test_depends_on_names_a_platform_or_one_of_its_components() -> None:
    assert parse_dependency("Heroku") == Dependency("Heroku")
    assert parse_dependency("Heroku: Apps") == Dependency("Heroku", "Apps")
    assert parse_dependency("Acme: EU", services=["Acme: EU"]) == Dependency("Acme: EU")
    assert str(Dependency("Heroku", "Data")) == "Heroku: Data"


def test_a_platform_incident_explains_the_failure() -> None:
    said = answer(shop(), {"Heroku": HEROKU_DOWN})
    assert said.verdict is Verdict.THEM
    assert said.text == (
        "Heroku reports a major outage affecting Apps, Tools "
        "(Increased error rates for apps in the Common Runtime)"
    )


def test_an_incident_on_another_component_does_not_explain_it() -> None:
    on_data = answer(shop(Severity.MAJOR_OUTAGE, "Heroku: Data"), {"Heroku": HEROKU_DOWN})
    assert on_data.verdict is Verdict.NOT_REPORTED
    # Heroku has an incident, but not on Data: said so, never "no incident" at all
    assert on_data.text == "No incident reported by Heroku for Data yet"
    assert on_data.reports[0].describe() == "Heroku reports no trouble with Data"
    on_apps = answer(shop(Severity.MAJOR_OUTAGE, "Heroku: Apps"), {"Heroku": HEROKU_DOWN})
    assert on_apps.verdict is Verdict.THEM
    assert report(Dependency("Heroku", "Apps"), HEROKU_DOWN).affected == ("Apps",)


def test_quiet_or_unreadable_platforms() -> None:
    quiet = answer(
        shop(Severity.MAJOR_OUTAGE, "Heroku", "GitHub"),
        {"Heroku": HEROKU_CALM, "GitHub": GITHUB_CALM},
    )
    assert quiet.verdict is Verdict.NOT_REPORTED
    assert quiet.text == "No incident reported by Heroku or GitHub yet"
    broken = answer(shop(), {"Heroku": failed_snapshot("HTTP 503", NOW)})
    assert broken.verdict is Verdict.UNCHECKED
    assert broken.text == "Heroku could not be checked"
    assert answer(shop(Severity.OPERATIONAL), {"Heroku": HEROKU_DOWN}).text == ""


def test_offline_is_the_users_network() -> None:
    said = answer(shop(), {"Heroku": HEROKU_DOWN}, offline=True)
    assert said.verdict is Verdict.OFFLINE
    assert said.text == "This computer seems to be offline: probably your network, not Heroku"


def test_endpoints_on_unrelated_platforms_failing_together_point_at_the_network() -> None:
    api = shop(Severity.MAJOR_OUTAGE, "Heroku")
    repo = Endpoint("Mirror", (Dependency("GitHub"),), Severity.MAJOR_OUTAGE, "timed out")
    platforms = {"Heroku": HEROKU_CALM, "GitHub": GITHUB_CALM}
    said = answer(api, platforms, failing=[api, repo])
    assert said.verdict is Verdict.YOUR_NETWORK
    assert said.text.endswith("probably your network")
    # one of them explained by its platform: not the network
    assert answer(api, {**platforms, "Heroku": HEROKU_DOWN}, failing=[api, repo]).verdict is (
        Verdict.THEM
    )


class Story:
    """An endpoint and its platform over time, as the monitor feeds them."""

    def __init__(self, *endpoints: Endpoint) -> None:
        self.tracker = ThemOrMe()
        self.now = NOW
        self.endpoints = list(endpoints)

    def step(self, platforms: dict[str, Snapshot], minutes: int = 1) -> list[tuple[str, str]]:
        self.now += minutes * MINUTE
        out = self.tracker.observe(self.endpoints, platforms, offline=False, now=self.now)
        return [(n.event, n.title) for n in out]

    def announce(self, platforms: dict[str, Snapshot]) -> str:
        endpoint = self.endpoints[0]
        said = answer(endpoint, platforms, failing=self.endpoints)
        self.tracker.announced(endpoint.name, said, self.now)
        return said.text


def test_endpoint_first_then_the_platform_admits_it() -> None:
    story = Story(shop())
    assert story.step({"Heroku": HEROKU_CALM}) == []
    assert story.announce({"Heroku": HEROKU_CALM}) == "No incident reported by Heroku yet"
    assert story.step({"Heroku": HEROKU_CALM}) == []
    follow = story.tracker.observe(
        story.endpoints, {"Heroku": HEROKU_DOWN}, offline=False, now=story.now + 6 * MINUTE
    )
    assert [(n.event, n.title, n.thread) for n in follow] == [
        (
            "explained",
            "Shop API is failing — Heroku now reports a major outage",
            "endpoint:Shop API",
        )
    ]
    assert follow[0].body.startswith("Affecting Apps, Tools (since ")
    assert follow[0].body.endswith("Increased error rates for apps in the Common Runtime")
    # said once
    assert story.step({"Heroku": HEROKU_DOWN}, minutes=7) == []


def test_platform_first_needs_no_follow_up() -> None:
    story = Story(shop())
    story.step({"Heroku": HEROKU_DOWN})
    assert story.announce({"Heroku": HEROKU_DOWN}).startswith("Heroku reports a major outage")
    assert story.step({"Heroku": HEROKU_DOWN}) == []


def test_the_platform_recovers_first_probably_yours_now() -> None:
    story = Story(shop())
    story.step({"Heroku": HEROKU_DOWN})
    story.announce({"Heroku": HEROKU_DOWN})
    assert story.step({"Heroku": HEROKU_CALM}) == [
        ("unexplained", "Heroku is back to normal but Shop API still fails")
    ]
    assert story.step({"Heroku": HEROKU_CALM}) == []


def test_nothing_follows_an_endpoint_that_recovered() -> None:
    story = Story(shop())
    story.step({"Heroku": HEROKU_CALM})
    story.announce({"Heroku": HEROKU_CALM})
    story.endpoints = [shop(Severity.OPERATIONAL)]
    assert story.step({"Heroku": HEROKU_CALM}) == []
    story.endpoints = [shop()]
    assert story.step({"Heroku": HEROKU_DOWN}) == []  # failing again, but not announced yet


def test_several_endpoints_on_one_silent_platform_are_an_early_warning() -> None:
    endpoints = [
        Endpoint(name, (Dependency("Heroku"),), Severity.MAJOR_OUTAGE, "HTTP 502")
        for name in ("Shop API", "Admin", "Webhooks")
    ]
    story = Story(*endpoints)
    assert story.step({"Heroku": HEROKU_CALM}) == [
        ("early_warning", "3 of your endpoints on Heroku are failing")
    ]
    assert story.step({"Heroku": HEROKU_CALM}) == []  # once per episode
    story.endpoints = endpoints[:2]
    assert story.step({"Heroku": HEROKU_CALM}) == []  # fewer failing is not news
    story.endpoints = endpoints
    assert story.step({"Heroku": HEROKU_CALM}) == []
    story.endpoints = endpoints[:1]
    assert story.step({"Heroku": HEROKU_CALM}) == []
    story.endpoints = endpoints[:2]
    assert story.step({"Heroku": HEROKU_CALM}) == [
        ("early_warning", "2 of your endpoints on Heroku are failing")
    ]
    story.endpoints = endpoints
    more = story.tracker.observe(
        story.endpoints, {"Heroku": HEROKU_CALM}, offline=False, now=story.now
    )
    assert [(n.title, n.thread) for n in more] == [
        ("3 of your endpoints on Heroku are failing", "early-warning:Heroku")
    ]  # said again, in the place of the first
    assert story.step({"Heroku": HEROKU_DOWN}) == []  # Heroku admits it: no warning needed


def test_unrelated_endpoints_failing_together_warn_once_about_the_network() -> None:
    story = Story(
        shop(),
        Endpoint("Mirror", (Dependency("GitHub"),), Severity.MAJOR_OUTAGE, "timed out"),
    )
    platforms = {"Heroku": HEROKU_CALM, "GitHub": GITHUB_CALM}
    assert story.step(platforms) == [("your_network", "Probably your network")]
    assert story.step(platforms) == []
