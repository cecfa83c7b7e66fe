"""Provider fixes, each on a recorded real payload (fixtures/SOURCES.md). Where the
payload had to show an earlier moment of a real incident, the test says how it was
rebuilt from the incident's own recorded updates."""

from __future__ import annotations

import codecs
import json
import re
from datetime import UTC, datetime
from typing import Any

from tests.conftest import fixture_bytes
from traywatch.core.model import Severity, Snapshot
from traywatch.providers import get_provider
from traywatch.providers.base import ProviderOptions, as_utf8

GCP_LARGE = "google-cloud/gcp-incidents-open-low-service-information-large.json"
GCP_OPEN = "google-cloud/gcp-incidents-open-high-service-outage.json"
GCP_CLOSED = "google-cloud/gcp-incidents-all-closed.json"
AWS = "aws/aws-currentevents-trimmed-me-central-1-disruption.json"
QUAY = "feed/quay-history-maintenance.rss"


def parse(kind: str, body: bytes, now: datetime, **options: Any) -> Snapshot:
    return get_provider(kind).parse(
        body,
        fetched_at=now,
        page_url="https://status.example.test",
        options=ProviderOptions(**options),
    )


# -- Google Cloud ---------------------------------------------------------------------------


def gcp_incident(fixture: str, ident: str) -> dict[str, Any]:
    return next(i for i in json.loads(fixture_bytes(fixture)) if i["id"] == ident)


def test_google_cloud_severity_is_the_latest_updates_not_the_worst_ever() -> None:
    # A real incident that was an outage, then a disruption, then available. Shown as
    # the page published it while its newest update was the second disruption one:
    # its later update and its `end` removed, `most_recent_update` that update.
    incident = gcp_incident(GCP_LARGE, "whAt3eeGhT2SbR2aQXwA")
    assert incident["status_impact"] == "SERVICE_OUTAGE"
    updates = sorted(incident["updates"], key=lambda u: u["when"])
    assert [u["status"] for u in updates] == [
        "SERVICE_OUTAGE",
        "SERVICE_OUTAGE",
        "SERVICE_DISRUPTION",
        "SERVICE_DISRUPTION",
        "AVAILABLE",
    ]
    earlier = {k: v for k, v in incident.items() if k != "end"}
    earlier["updates"] = updates[:4][::-1]
    earlier["most_recent_update"] = updates[3]
    now = datetime.fromisoformat(updates[3]["when"])
    snapshot = parse("google-cloud", json.dumps([earlier]).encode(), now)
    (shown,) = snapshot.incidents
    assert shown.severity is Severity.PARTIAL_OUTAGE  # not the major outage it had been
    assert snapshot.severity is Severity.PARTIAL_OUTAGE


def test_google_cloud_incident_whose_latest_update_is_available_is_over() -> None:
    # A real recovered incident, as the feed can show it before `end` is set.
    incident = gcp_incident(GCP_CLOSED, json.loads(fixture_bytes(GCP_CLOSED))[0]["id"])
    assert incident["most_recent_update"]["status"] == "AVAILABLE"
    recovered = {k: v for k, v in incident.items() if k != "end"}
    now = datetime.fromisoformat(incident["most_recent_update"]["when"])
    snapshot = parse("google-cloud", json.dumps([recovered]).encode(), now)
    assert snapshot.incidents == ()
    assert snapshot.severity is Severity.OPERATIONAL


def test_google_cloud_products_filter_limits_the_components() -> None:
    now = datetime(2026, 8, 20, 17, 0, tzinfo=UTC)
    everything = parse("google-cloud", fixture_bytes(GCP_OPEN), now)
    assert len(everything.components) > 2
    run = parse("google-cloud", fixture_bytes(GCP_OPEN), now, products=("Cloud Run",))
    assert [c.name for c in run.components] == ["Cloud Run"]
    assert run.incidents[0].components == ("Cloud Run",)
    assert run.severity is Severity.MAJOR_OUTAGE


# -- AWS ------------------------------------------------------------------------------------


def test_aws_event_about_several_services_matches_a_services_filter() -> None:
    body = fixture_bytes(AWS)
    (event,) = json.loads(body)
    assert event["service"] == "multipleservices-me-central-1"
    assert "impacted_services" not in event  # the recorder trimmed the list: it names none
    now = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    ec2 = parse("aws", body, now, region="me-central-1", products=("ec2",))
    assert ec2.severity is Severity.MAJOR_OUTAGE
    # with the list (the live shape, documented in status-formats.md §5), it decides
    listed = dict(
        event,
        impacted_services={
            "ec2-me-central-1": {
                "service_name": "Amazon Elastic Compute Cloud",
                "current": "3",
                "max": "3",
            },
            "s3-me-central-1": {"service_name": "Amazon Simple Storage Service", "current": "3"},
        },
    )
    body = json.dumps([listed]).encode()
    ec2 = parse("aws", body, now, region="me-central-1", products=("ec2",))
    assert [c.name for c in ec2.components] == ["Amazon Elastic Compute Cloud (UAE)"]
    lambda_ = parse("aws", body, now, region="me-central-1", products=("lambda",))
    assert lambda_.severity is Severity.OPERATIONAL


def test_aws_utf16_without_byte_order_mark_is_read_by_its_declared_charset() -> None:
    body = fixture_bytes(AWS).decode("utf-8").encode("utf-16-le")
    assert not body.startswith(codecs.BOM_UTF16_LE)
    text = as_utf8(body, "application/json;charset=utf-16")
    now = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    assert parse("aws", text, now).severity is Severity.MAJOR_OUTAGE
    big_endian = fixture_bytes(AWS).decode("utf-8").encode("utf-16-be")
    assert as_utf8(big_endian, "application/json; charset=UTF-16") == text
    assert as_utf8(b"[]", "application/json; charset=no-such-charset") == b"[]"


def test_xml_declared_in_another_encoding_than_sent() -> None:
    atom = fixture_bytes("feed/githubstatus-history.atom")
    sent = atom.decode("utf-8").encode("utf-16-le")
    text = as_utf8(sent, "application/atom+xml; charset=utf-16le")
    snapshot = parse("feed", text, datetime(2026, 8, 22, 12, 0, tzinfo=UTC))
    assert snapshot.page_name == "GitHub Status - Incident History"


# -- RSS/Atom -------------------------------------------------------------------------------


def quay_entry_as_of(newest: str) -> bytes:
    """quay.io's real history.rss, its maintenance entry as it read when `newest` was
    its newest update (the later update paragraphs removed, nothing else changed)."""
    channel, item = fixture_bytes(QUAY).decode().split("<item>", 1)
    first, rest = item.split("<description>", 1)
    description, tail = rest.split("</description>", 1)
    paragraphs = re.findall(r"&lt;p&gt;.*?&lt;/p&gt;", description)
    kept = next(i for i, p in enumerate(paragraphs) if f"&lt;strong&gt;{newest}&lt;" in p)
    item = f"{first}<description>\n{''.join(paragraphs[kept:])}</description>{tail}"
    return f"{channel}<item>{item}".encode()


def test_feed_maintenance_in_progress_is_maintenance_not_an_incident() -> None:
    during = datetime(2021, 11, 7, 9, 30, tzinfo=UTC)  # 04:30 EST, two hours in
    snapshot = parse("feed", quay_entry_as_of("In progress"), during)
    assert snapshot.incidents == ()
    (maintenance,) = (m for m in snapshot.maintenances if m.active)
    assert maintenance.title == "quay.io read-only mode for database maintenance"
    assert snapshot.severity is Severity.MAINTENANCE


def test_feed_scheduled_maintenance_is_upcoming_and_quiet() -> None:
    announced = datetime(2021, 11, 3, 12, 0, tzinfo=UTC)
    snapshot = parse("feed", quay_entry_as_of("Scheduled"), announced)
    assert snapshot.incidents == ()
    assert [m.status for m in snapshot.maintenances] == ["scheduled"]
    assert snapshot.severity is Severity.OPERATIONAL


def test_feed_completed_maintenance_and_resolved_entries_are_over() -> None:
    after = datetime(2021, 11, 7, 13, 0, tzinfo=UTC)  # an hour after "Completed"
    snapshot = parse("feed", fixture_bytes(QUAY), after)
    assert (snapshot.incidents, snapshot.maintenances) == ((), ())
    assert snapshot.severity is Severity.OPERATIONAL
    # incident.io's own wording ("Status: Resolved"), within a day of the update
    openai = fixture_bytes("feed/openai-feed-trimmed.atom")
    assert parse("feed", openai, datetime(2026, 9, 26, 0, 0, tzinfo=UTC)).incidents == ()


def test_feed_entry_titled_or_categorised_resolved_is_over() -> None:
    # the real quay entry at "Verifying", retitled as some feeds title a closed item, or
    # carrying a <category> as others do
    verifying = quay_entry_as_of("Verifying").decode()
    during = datetime(2021, 11, 7, 11, 0, tzinfo=UTC)
    assert parse("feed", verifying.encode(), during).severity is Severity.MAINTENANCE
    titled = verifying.replace("<title>quay.io read-only", "<title>[RESOLVED] quay.io read-only", 1)
    categorised = verifying.replace("</guid>", "</guid><category>resolved</category>", 1)
    for body in (titled, categorised):
        snapshot = parse("feed", body.encode(), during)
        assert [m for m in snapshot.maintenances if m.active] == []
