from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import fixture_bytes
from traywatch.core.focus import narrow
from traywatch.core.model import Severity, Snapshot
from traywatch.providers import get_provider

NOW = datetime(2025, 6, 10, 17, 0, tzinfo=UTC)


def parse(kind: str, fixture: str) -> Snapshot:
    return get_provider(kind).parse(
        fixture_bytes(fixture), fetched_at=NOW, page_url="https://x.test"
    )


def test_watching_cloudflares_services_group_hides_the_data_centres() -> None:
    everyday = parse(
        "statuspage", "statuspage/cloudflarestatus-summary-minor-groups-maintenance.json"
    )
    services = narrow(everyday, ("Cloudflare Sites and Services",))
    assert services.components
    assert {c.group for c in services.components} == {"Cloudflare Sites and Services"}
    # a data centre's maintenance elsewhere on the page is not the services' state
    assert any(m.active for m in everyday.maintenances)
    assert not any(m.active for m in services.maintenances)
    assert (services.severity, services.summary) == (
        Severity.OPERATIONAL,
        "All systems operational",
    )


def test_watching_only_herokus_data_ignores_an_apps_incident() -> None:
    snapshot = parse("heroku", "heroku/apps-red-incident.json")
    assert snapshot.severity is Severity.MAJOR_OUTAGE
    data_only = narrow(snapshot, ("data",))
    assert data_only.severity is Severity.OPERATIONAL
    assert data_only.incidents == ()
    apps = narrow(snapshot, ("Apps",))
    assert apps.severity is Severity.MAJOR_OUTAGE
    assert [i.id for i in apps.incidents] == ["2857"]
    assert narrow(snapshot, ()) is snapshot
