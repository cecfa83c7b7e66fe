"""Every kind beyond Statuspage and Heroku: recorded payloads (or, where none exists,
payloads written from the documented shape: fixtures/SYNTHETIC.md), each asserted
to its severity, plus the traps each format is known for."""

from __future__ import annotations

import codecs
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, fixture_bytes
from traywatch.core.errors import ParseError
from traywatch.core.model import Severity, Snapshot
from traywatch.providers import KINDS, detection_order, get_provider
from traywatch.providers.base import ProviderOptions

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
OP, MNT, DEG, PART, MAJ, UNK = (
    Severity.OPERATIONAL,
    Severity.MAINTENANCE,
    Severity.DEGRADED,
    Severity.PARTIAL_OUTAGE,
    Severity.MAJOR_OUTAGE,
    Severity.UNKNOWN,
)


def parse(
    kind: str,
    fixture: str,
    *,
    options: ProviderOptions | None = None,
    extra: dict[str, bytes] | None = None,
    now: datetime = NOW,
) -> Snapshot:
    return get_provider(kind).parse(
        fixture_bytes(fixture),
        fetched_at=now,
        page_url="https://status.example.test",
        options=options or ProviderOptions(),
        extra=extra or {},
    )


RECORDED = [
    ("google-cloud", "google-cloud/gcp-incidents-all-closed.json", OP),
    ("google-cloud", "google-cloud/gcp-incidents-open-high-service-outage.json", MAJ),
    ("google-cloud", "google-cloud/gcp-incidents-open-medium-service-disruption.json", PART),
    # SERVICE_INFORMATION is a message, not a degradation
    ("google-cloud", "google-cloud/gcp-incidents-open-low-service-information-large.json", OP),
    # 2020 schema: no status_impact, "medium" severity
    ("google-cloud", "google-cloud/gcp-incidents-legacy-2020-format.json", PART),
    ("aws", "aws/aws-currentevents-trimmed-me-central-1-disruption.json", MAJ),
    ("slack", "slack/slack-current-ok.json", OP),
    ("slack", "slack/slack-current-active-incident-messaging.json", DEG),
    ("slack", "slack/slack-current-active-incident-no-services.json", DEG),
    ("slack", "slack/slack-current-active-notice.json", OP),
    ("slack", "slack/slack-current-active-incident-and-notice.json", DEG),
    ("slack", "slack/slack-current-active-outage.json", MAJ),
    ("slack", "slack/slack-current-active-outage-all-services.json", MAJ),
    ("statusio", "statusio/docker-statusio-operational.json", OP),
    ("gatus", "gatus/gatus-endpoints-statuses-healthy-then-unhealthy.json", MAJ),
    ("gatus", "gatus/gatus-endpoints-statuses-page1-size1-latest-unhealthy.json", MAJ),
    ("gatus", "gatus/gatus-endpoints-statuses-no-results.json", UNK),
    ("feed", "feed/githubstatus-history.atom", OP),
    ("feed", "feed/openai-feed-trimmed.atom", OP),
    ("incidentio", "statuspage/openai-compat-components.json", OP),
]
WRITTEN = [
    ("instatus", "instatus/summary-operational.json", OP),
    ("instatus", "instatus/summary-major-incident.json", MAJ),
    ("instatus", "instatus/summary-maintenance.json", MNT),
    ("betterstack", "betterstack/index-operational.json", OP),
    ("betterstack", "betterstack/index-downtime.json", MAJ),
    ("azure", "azure/feed-quiet.xml", OP),
    ("azure", "azure/feed-two-items.xml", DEG),
]


@pytest.mark.parametrize(("kind", "fixture", "expected"), RECORDED + WRITTEN)
def test_fixture_severity(kind: str, fixture: str, expected: Severity) -> None:
    snapshot = parse(kind, fixture)
    assert snapshot.severity is expected
    assert snapshot.summary


def test_every_fixture_file_is_asserted() -> None:
    used = {f for _, f, _ in RECORDED + WRITTEN}
    used |= {
        "instatus/components.json",
        "cachet/components.json",
        "cachet/incidents.json",
        "cachet/groups.json",
        "uptime-kuma/status-page.json",
        "uptime-kuma/heartbeat-one-down.json",
        "uptime-kuma/heartbeat-all-up.json",
        "incidentio/openai-proxy-summary-structure-trimmed.json",
    }
    folders = {k for k in KINDS} - {"statuspage", "heroku"}
    on_disk = {
        f"{p.parent.name}/{p.name}"
        for folder in folders
        for p in (FIXTURES / folder).glob("*")
        if p.suffix in (".json", ".xml", ".atom")
    }
    assert on_disk <= used, on_disk - used


def test_every_kind_has_a_fixture() -> None:
    tested = {k for k, _, _ in RECORDED + WRITTEN} | {
        "cachet",
        "uptime-kuma",
        "heroku",
        "statuspage",
    }
    assert tested == set(KINDS)


# -- traps, kind by kind ------------------------------------------------------------------


def test_google_cloud_open_incident_details_and_product_filter() -> None:
    snapshot = parse("google-cloud", "google-cloud/gcp-incidents-open-high-service-outage.json")
    (incident,) = snapshot.incidents
    assert incident.id == "utF3FMFdQfwBzJcGG6vf"
    assert incident.started_at == datetime(2026, 8, 20, 15, 40, tzinfo=UTC)
    assert incident.url == "https://status.example.test/incidents/utF3FMFdQfwBzJcGG6vf"
    assert "Apigee X" in incident.components
    assert {c.name for c in snapshot.components} == set(incident.components)
    apigee = parse(
        "google-cloud",
        "google-cloud/gcp-incidents-open-high-service-outage.json",
        options=ProviderOptions(products=("Apigee X",)),
    )
    assert apigee.severity is MAJ
    other = parse(
        "google-cloud",
        "google-cloud/gcp-incidents-open-high-service-outage.json",
        options=ProviderOptions(products=("Some product nobody has",)),
    )
    assert other.severity is OP


def test_aws_region_filter_and_utf16_body() -> None:
    body = fixture_bytes("aws/aws-currentevents-trimmed-me-central-1-disruption.json")
    provider = get_provider("aws")
    for encoded in (
        codecs.BOM_UTF16_LE + body.decode().encode("utf-16-le"),
        codecs.BOM_UTF16_BE + body.decode().encode("utf-16-be"),
    ):
        snapshot = provider.parse(encoded, fetched_at=NOW, page_url="https://x.test")
        assert snapshot.severity is MAJ
    (incident,) = parse(
        "aws", "aws/aws-currentevents-trimmed-me-central-1-disruption.json"
    ).incidents
    assert incident.title == "Multiple services (UAE): Increased Error Rates"
    assert incident.started_at == datetime(2026, 3, 1, 12, 51, 25, tzinfo=UTC)
    assert incident.updates[0].at >= incident.updates[-1].at  # newest first
    elsewhere = parse(
        "aws",
        "aws/aws-currentevents-trimmed-me-central-1-disruption.json",
        options=ProviderOptions(region="us-east-1"),
    )
    assert elsewhere.severity is OP
    here = parse(
        "aws",
        "aws/aws-currentevents-trimmed-me-central-1-disruption.json",
        options=ProviderOptions(region="me-central-1"),
    )
    assert here.severity is MAJ


def test_slack_pacific_times_and_services() -> None:
    snapshot = parse("slack", "slack/slack-current-active-outage.json")
    (incident,) = snapshot.incidents
    assert incident.started_at is not None
    assert incident.started_at.utcoffset() is not None
    assert len(incident.components) == 4
    assert all(c.severity is MAJ for c in snapshot.components)
    notice = parse("slack", "slack/slack-current-active-notice.json")
    assert notice.incidents[0].severity is OP  # shown as a message, not a degradation


def test_statusio_components_with_containers() -> None:
    snapshot = parse("statusio", "statusio/docker-statusio-operational.json")
    assert "Docker Hub Registry" in [c.name for c in snapshot.components]
    raw = json.loads(fixture_bytes("statusio/docker-statusio-operational.json"))
    raw["result"]["status"][0]["containers"][0]["status_code"] = 500
    worse = get_provider("statusio").parse(json.dumps(raw).encode(), fetched_at=NOW, page_url="")
    assert worse.severity is MAJ  # a container worse than its component counts


def test_feed_open_entry_is_degraded_and_resolved_ones_are_not() -> None:
    body = fixture_bytes("feed/githubstatus-history.atom").decode()
    recent = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The newest entry, relabelled as still investigating and touched just now.
    body = body.replace(
        "&lt;strong&gt;Resolved&lt;/strong&gt;", "&lt;strong&gt;Investigating&lt;/strong&gt;", 1
    )
    body = body.replace(
        "<updated>2026-08-21T00:37:20Z</updated>", f"<updated>{recent}</updated>", 1
    )
    snapshot = get_provider("feed").parse(body.encode(), fetched_at=NOW, page_url="")
    (incident,) = snapshot.incidents
    assert snapshot.severity is DEG
    assert incident.status == "investigating"
    assert incident.title == "Intermittent failures creating agent tasks"
    assert incident.url == "https://www.githubstatus.com/incidents/bhbcjn4n3jzp"


def test_feed_refuses_entity_expansion() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><rss><channel>&lol2;</channel></rss>'
    )
    with pytest.raises(ParseError, match="documents with a DTD are not accepted"):
        get_provider("feed").parse(bomb, fetched_at=NOW, page_url="")


def test_azure_region_filter() -> None:
    snapshot = parse("azure", "azure/feed-two-items.xml")
    assert [c.name for c in snapshot.components] == ["Storage", "Virtual Machines"]
    west = parse("azure", "azure/feed-two-items.xml", options=ProviderOptions(region="West Europe"))
    assert [i.title for i in west.incidents] == ["Virtual Machines - West Europe"]
    assert (
        parse(
            "azure", "azure/feed-two-items.xml", options=ProviderOptions(region="Japan East")
        ).severity
        is OP
    )


def test_incidentio_groups_from_the_proxy_document() -> None:
    proxy = fixture_bytes("incidentio/openai-proxy-summary-structure-trimmed.json")
    snapshot = parse(
        "incidentio",
        "statuspage/openai-compat-components.json",
        extra={"https://status.openai.com/proxy/status.openai.com": proxy},
    )
    grouped = [c for c in snapshot.components if c.group]
    assert grouped, "no component got its group"
    without = parse("incidentio", "statuspage/openai-compat-components.json")
    assert not [c for c in without.components if c.group]


def test_instatus_components_and_js_dates() -> None:
    components = {"https://x.test/v3/components.json": fixture_bytes("instatus/components.json")}
    snapshot = parse("instatus", "instatus/summary-operational.json", extra=components)
    assert snapshot.severity is PART  # the page says UP, a component disagrees: the worse wins
    assert [(c.name, c.group) for c in snapshot.components] == [
        ("Deployments", "Platform"),
        ("Dashboard", None),
    ]
    (incident,) = parse("instatus", "instatus/summary-major-incident.json").incidents
    assert incident.started_at == datetime(2022, 6, 11, 18, 55, 50, tzinfo=UTC)


def test_betterstack_ignores_unmonitored_and_resolved() -> None:
    calm = parse("betterstack", "betterstack/index-operational.json")
    assert [c.name for c in calm.components] == ["REST API"]
    assert calm.components[0].group == "API"
    down = parse("betterstack", "betterstack/index-downtime.json")
    assert [i.title for i in down.incidents] == ["API unreachable"]


def test_cachet_components_incidents_and_groups() -> None:
    provider = get_provider("cachet")
    base = "https://status.acme.test"
    assert provider.extra_documents(base) == ()
    incidents_url, groups_url, _ = provider.optional_documents(base)
    snapshot = provider.parse(
        fixture_bytes("cachet/components.json"),
        fetched_at=NOW,
        page_url=base,
        extra={
            incidents_url: fixture_bytes("cachet/incidents.json"),
            groups_url: fixture_bytes("cachet/groups.json"),
        },
    )
    assert snapshot.severity is PART
    assert [(c.name, c.group) for c in snapshot.components] == [
        ("Website", "Public services"),
        ("API", "Public services"),
    ]
    (incident,) = snapshot.incidents  # the fixed one is left out
    assert (incident.title, incident.status, incident.severity) == (
        "API errors",
        "identified",
        PART,
    )
    assert incident.updates[0].text == "We **identified** the cause."
    assert incident.started_at == datetime(2026, 9, 1, 10, 0, tzinfo=UTC)


def test_uptime_kuma_monitors_from_heartbeats() -> None:
    provider = get_provider("uptime-kuma")
    base = "https://kuma.home.test/status/home"
    assert provider.endpoints(base) == ("https://kuma.home.test/api/status-page/home",)
    (heartbeats,) = provider.extra_documents(base)
    assert heartbeats == "https://kuma.home.test/api/status-page/heartbeat/home"

    def with_beats(name: str) -> Snapshot:
        return provider.parse(
            fixture_bytes("uptime-kuma/status-page.json"),
            fetched_at=NOW,
            page_url=base,
            extra={heartbeats: fixture_bytes(name)},
        )

    one_down = with_beats("uptime-kuma/heartbeat-one-down.json")
    assert one_down.severity is PART
    assert [(c.name, c.severity) for c in one_down.components] == [("Web", OP), ("Mail", MAJ)]
    assert with_beats("uptime-kuma/heartbeat-all-up.json").severity is OP


# -- detection and robustness ---------------------------------------------------------------


def test_detection_tries_the_kind_the_address_names_first() -> None:
    assert detection_order("https://status.cloud.google.com")[0].kind == "google-cloud"
    assert detection_order("https://health.aws.amazon.com/health/status")[0].kind == "aws"
    assert detection_order("https://slack-status.com")[0].kind == "slack"
    assert detection_order("https://acme.instatus.com")[0].kind == "instatus"
    assert detection_order("https://www.githubstatus.com")[0].kind == "statuspage"
    assert "incidentio" not in [p.kind for p in detection_order("https://x.test")]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)


@pytest.mark.parametrize("kind", KINDS)
@given(data=JSON, raw=st.binary(max_size=120))
@settings(max_examples=60, deadline=None)
def test_arbitrary_input_gives_a_snapshot_or_a_parse_error(
    kind: str, data: object, raw: bytes
) -> None:
    provider = get_provider(kind)
    for body in (json.dumps(data).encode(), raw):
        try:
            snapshot = provider.parse(body, fetched_at=NOW, page_url="https://x.test")
        except ParseError as exc:
            assert str(exc)
        else:
            assert isinstance(snapshot.severity, Severity)
