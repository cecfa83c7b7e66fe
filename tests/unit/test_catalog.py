from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from traywatch import catalog
from traywatch.config.schema import check_url
from traywatch.providers import KINDS


def test_at_least_500_real_platforms() -> None:
    assert len(catalog.entries()) >= 500


def test_every_entry_is_well_formed() -> None:
    seen: set[str] = set()
    for entry in catalog.entries():
        assert entry.kind in KINDS, entry
        assert entry.url.startswith("https://"), entry
        assert check_url(entry.url) is None, entry
        assert urlsplit(entry.url).hostname, entry
        assert entry.name, entry
        assert entry.category, entry
        assert entry.source, entry
        for ident in (entry.id, *entry.aliases):
            assert ident == ident.lower(), entry
            assert " " not in ident, entry
            assert ident not in seen, f"duplicate id {ident}"
            seen.add(ident)


@pytest.mark.parametrize(
    ("entry_id", "name", "url", "kind"),
    [
        ("heroku", "Heroku", "https://status.heroku.com", "heroku"),
        ("github", "GitHub", "https://www.githubstatus.com", "statuspage"),
        ("openai", "OpenAI", "https://status.openai.com", "incidentio"),
        ("cloudflare", "Cloudflare", "https://www.cloudflarestatus.com", "statuspage"),
        ("papertrail", "Papertrail (SolarWinds)", "https://www.papertrailstatus.com", "statuspage"),
        ("loggly", "Loggly (SolarWinds)", "https://status.loggly.com", "statuspage"),
    ],
)
def test_the_platforms_of_the_heroku_story(entry_id: str, name: str, url: str, kind: str) -> None:
    entry = catalog.find(entry_id)
    assert entry is not None
    assert (entry.name, entry.url, entry.kind) == (name, url, kind)


def test_old_ids_are_aliases() -> None:
    assert catalog.find("papertrail") == catalog.find("papertrail-solarwinds")
    assert catalog.find("DOCKER") == catalog.find("docker-hub")
    assert catalog.find("no-such-platform") is None


def test_search_and_categories() -> None:
    found = catalog.search("solarwinds")
    assert {e.id for e in found} == {"papertrail-solarwinds", "loggly-solarwinds"}
    observability = catalog.search(category="observability")
    assert "sentry" in {e.id for e in observability}
    assert "Observability" in catalog.categories()


def test_errored_pages_are_left_out() -> None:
    snapshot = (
        Path(__file__).resolve().parents[1] / "providers" / "fixtures" / "catalog-errors.json"
    )
    errored = json.loads(snapshot.read_text(encoding="utf-8"))
    ids = {e.id for e in catalog.entries()}
    assert errored, "the list of errored vendors is empty"
    assert not ids & set(errored)


def test_an_entry_is_added_with_its_default_components() -> None:
    github = catalog.find("github")
    assert github is not None
    assert github.service().components == github.components
    assert "Actions" in (github.service().components or ())


def test_cloudflare_is_watched_for_its_services_not_its_data_centres() -> None:
    from traywatch.config.defaults import DEFAULT_SERVICES

    cloudflare = catalog.find("cloudflare")
    assert cloudflare is not None
    # found by tools/build_catalog.py in the recorded summary: its other groups are places
    assert cloudflare.components == ("Cloudflare Sites and Services",)
    assert "places found in" in cloudflare.source
    default = next(s for s in DEFAULT_SERVICES if s.name == "Cloudflare")
    assert default.components == cloudflare.components
