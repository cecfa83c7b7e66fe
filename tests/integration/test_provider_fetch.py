"""Real HTTP from a loopback server to a parsed snapshot: how a body is read (its
declared charset) and what survives when a second document is missing."""

from __future__ import annotations

import codecs

from tests.conftest import fixture_bytes
from tests.integration.helpers import poll_once
from tests.support.server import StatusServer
from traywatch.core.model import Severity


async def test_a_body_in_utf16_without_byte_order_mark_is_read_by_its_charset(
    status_server: StatusServer,
) -> None:
    # AWS sends its events as UTF-16 (application/json;charset=utf-16)
    body = fixture_bytes("aws/aws-currentevents-trimmed-me-central-1-disruption.json")
    utf16 = body.decode("utf-8").encode("utf-16-le")
    assert not utf16.startswith(codecs.BOM_UTF16_LE)
    route = status_server.serve(
        "/public/currentevents", utf16, content_type="application/json;charset=utf-16"
    )
    snapshot = await poll_once(status_server.base_url, "aws")
    assert route.hits == 1
    assert snapshot.error is None
    assert snapshot.severity is Severity.MAJOR_OUTAGE


async def test_cachet_without_an_incidents_endpoint_keeps_its_components(
    status_server: StatusServer,
) -> None:
    # Only the components answer; incidents, groups and schedules are 404 (API versions
    # differ, and many public instances lock them down).
    status_server.serve("/api/v1/components", fixture_bytes("cachet/components.json"))
    missing = status_server.serve("/api/v1/incidents", b'{"error": "not found"}', status=404)
    snapshot = await poll_once(status_server.base_url, "cachet")
    assert missing.hits == 1
    assert snapshot.error is None
    assert [c.name for c in snapshot.components] == ["Website", "API"]
    assert snapshot.severity is Severity.PARTIAL_OUTAGE
    assert snapshot.summary.endswith(" · incidents unavailable")
