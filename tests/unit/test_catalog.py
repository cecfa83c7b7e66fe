from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from traywatch import catalog
from traywatch.config.schema import check_url
from traywatch.providers import KINDS

SOURCES = Path(__file__).resolve().parents[2] / "tools" / "catalog_sources"


def test_every_real_platform_of_the_recorded_sources() -> None:
    # 859 is what the recorded sources hold once failed polls, formats traywatch has no
    # parser for and duplicates are left out (tools/catalog_sources/README.md).
    assert len(catalog.entries()) >= 850


def test_every_entry_is_well_formed() -> None:
    seen: set[str] = set()
    for entry in catalog.entries():
        assert entry.kind in KINDS, entry
        assert entry.url.startswith(("https://", "http://")), entry  # as recorded
        assert check_url(entry.url) is None, entry
        assert urlsplit(entry.url).hostname, entry
        assert entry.name, entry
        assert entry.category not in ("", "Uncategorized"), entry
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


def _recorded() -> dict[str, dict[str, object]]:
    """What each recorded source says about the pages it lists."""
    vsw = json.loads((SOURCES / "vendor-status-snapshot-2026-09-07.json").read_text())
    text = (SOURCES / "catalog.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and cells[0].isdigit():
            rows[cells[0]] = cells
    appendix = text.split("## Appendix A", 1)[1].split("```", 2)[1]
    stts = {}
    for line in appendix.strip().splitlines():
        cells = [c.strip() for c in line.split(" | ")]
        stts[cells[1]] = cells
    aisd = json.loads((SOURCES / "aistatusdashboard-sources.json").read_text())["sources"]
    return {
        "vsw": {v["slug"]: v for v in vsw["vendors"]},
        "catalog.md": rows,
        "stts": stts,
        "aisd": {s["id"]: s for s in aisd},
    }


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def test_every_entry_is_what_its_recorded_source_says_its_address_serves() -> None:
    """The kind and address of each entry, checked against the record that decided
    them: the vendor-status-watch poll (platform and page id read from the live page),
    the curated table's format column, stts's provider, aistatusdashboard's platform."""
    recorded = _recorded()
    from importlib.resources import files

    raw = json.loads((files("traywatch.resources") / "catalog.json").read_text(encoding="utf-8"))
    for item in raw["entries"]:
        source, key = item["evidence"][0]
        kind, url = item["kind"], item["url"]
        if source == "vsw":
            vendor = recorded["vsw"][key]
            assert vendor["error"] is None, item
            page_id = vendor["page_id"] or ""
            expected = {
                "statuspage": "incidentio" if len(page_id) == 26 else "statuspage",
                "incident.io": "incidentio",
                "status.io": "statusio",
                "instatus": "instatus",
                "betterstack": "betterstack",
            }[vendor["platform"]]
            assert kind == expected, item
            if kind == "statusio":
                assert url == f"https://api.status.io/1.0/status/{page_id}", item
            else:
                assert _host(url) == _host(vendor["status_url"]), item
        elif source == "catalog.md":
            row = recorded["catalog.md"][key]
            fmt = row[3].lower()
            assert not row[7].startswith("Low"), item
            words = {
                "statuspage": "statuspage",
                "incidentio": "incident.io",
                "statusio": "status.io",
                "instatus": "instatus",
                "betterstack": "better stack",
                "slack": "slack",
                "heroku": "heroku",
                "aws": "aws health",
                "google-cloud": "google dashboard",
                "azure": "rss",
            }
            assert fmt.startswith(words[kind]), item
            assert _host(url) in row[2] + row[4], item
        elif source == "stts":
            provider, _name, page, *rest = recorded["stts"][key]
            assert {
                "statuspage": "statuspage",
                "incidentio": "incidentio",
                "statusiov1": "statusio",
                "instatus": "instatus",
                "betterstack": "betterstack",
                "betteruptime": "betterstack",
            }[provider] == kind, item
            expected_url = (
                f"https://api.status.io/1.0/status/{rest[0]}" if kind == "statusio" else page
            )
            assert url.rstrip("/") == expected_url.rstrip("/"), item
        else:
            assert source == "aisd", item
            listed = recorded["aisd"][key]
            assert listed["platform"] == kind, item
            assert url.rstrip("/") == listed["baseUrl"].rstrip("/"), item


def test_git_finds_github_and_gitlab_before_digital_names() -> None:
    found = [e.name for e in catalog.search("git")]
    assert set(found[:2]) == {"GitHub", "GitLab"}
    digital = [i for i, name in enumerate(found) if name.startswith("Digital")]
    assert digital
    assert min(digital) > found.index("GitLab")
    assert catalog.search("GitHub")[0].name == "GitHub"  # the exact name first
    # between equal matches, the platform more sources list comes first
    assert next(e.name for e in catalog.search("datadog")) == "Datadog (US1)"


def test_what_is_watched_already_is_known_by_page_or_name() -> None:
    from traywatch.config.schema import ServiceConfig

    watched = catalog.watched(
        [
            ServiceConfig(name="My GitHub", url="https://githubstatus.com/"),
            ServiceConfig(name="Heroku", url="https://elsewhere.test"),
            ServiceConfig(name="GitLab", url="https://status.gitlab.com"),
            ServiceConfig(name="new", url=""),
        ]
    )
    assert {"github", "heroku", "gitlab"} <= watched
    assert "gitbook" not in watched
    assert len(watched) == 3


def test_a_status_io_entry_shows_the_page_people_know() -> None:
    gitlab = catalog.find("gitlab")
    assert gitlab is not None
    assert gitlab.url.startswith("https://api.status.io/")
    assert gitlab.host == "status.gitlab.com"
