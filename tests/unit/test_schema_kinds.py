"""The declared schema per kind of service, and problems that name their field."""

from __future__ import annotations

import pytest

from traywatch.config.schema import (
    NOTIFICATION_OPTIONS,
    SERVICE_OPTIONS,
    SERVICE_SECTIONS,
    SETTINGS_OPTIONS,
    service_options,
    validate,
    with_scheme,
)
from traywatch.core.errors import ConfigError, FieldProblem
from traywatch.providers import KINDS


def names(kind: str | None) -> set[str]:
    return {o.name for o in service_options(kind)}


def test_a_status_page_offers_what_narrows_it_an_endpoint_its_checks() -> None:
    page, endpoint = names("statuspage"), names("http")
    assert {"name", "url", "kind", "components", "interval", "mute"} <= page
    assert not {"method", "expect_status", "body_contains", "auth", "depends_on"} & page
    assert {"method", "expect_status", "body_regex", "headers", "auth", "depends_on"} <= endpoint
    assert not {"components", "region", "products", "notify_updates"} & endpoint


@pytest.mark.parametrize(
    ("kind", "offered", "not_offered"),
    [
        ("aws", {"region", "products", "components"}, {"method"}),
        ("azure", {"region", "products"}, {"depends_on"}),
        ("google-cloud", {"products"}, {"region"}),
        ("feed", set(), {"components", "region"}),  # a feed lists no components
        (None, {"components"}, {"region", "products", "method"}),  # detected when polled
    ],
)
def test_options_per_kind(kind: str | None, offered: set[str], not_offered: set[str]) -> None:
    assert offered <= names(kind)
    assert not (not_offered & names(kind))


def test_every_kind_has_its_form_and_every_option_a_place_in_it() -> None:
    for kind in (*KINDS, "http", None):
        options = service_options(kind)
        assert options[0].name == "name"
        assert all(o.section in SERVICE_SECTIONS for o in options)
    for option in (*SERVICE_OPTIONS, *SETTINGS_OPTIONS, *NOTIFICATION_OPTIONS):
        assert option.title
        assert option.help
        if option.choices and option.choice_labels:
            assert len(option.choice_labels) == len(option.choices)
    offered = set().union(*(names(k) for k in (*KINDS, "http", None)))
    assert offered == {o.name for o in SERVICE_OPTIONS}


def test_a_problem_names_its_table_entry_and_field() -> None:
    with pytest.raises(ConfigError) as raised:
        validate(
            {
                "settings": {"interval": 5},
                "services": [
                    {"name": "GitHub", "url": "https://www.githubstatus.com"},
                    {"name": "mine", "kind": "http", "url": "ftp://x", "auth": "basic"},
                ],
            },
            None,
        )
    fields = raised.value.fields
    by_place = {(p.table, p.index, p.key) for p in fields}
    assert by_place == {
        ("settings", None, "interval"),
        ("services", 1, "url"),
        ("services", 1, "secret"),
        ("services", 1, "username"),
    }
    # The same problems in words, as the command line has always said them.
    assert "services[1].url: expected an http(s) address" in "; ".join(raised.value.problems)
    assert str(FieldProblem("services", "url", "bad", 1)) == "services[1].url: bad"
    assert str(FieldProblem("", None, "unknown key 'x'")) == "unknown key 'x'"


def test_an_option_for_another_kind_is_refused_only_when_it_would_change_the_check() -> None:
    # region on a Statuspage says nothing harmful (ignored, as it always was) …
    ok = validate(
        {
            "services": [
                {"name": "x", "url": "https://x.test", "kind": "statuspage", "region": "eu"}
            ]
        },
        None,
    )
    assert ok.services[0].region == "eu"
    # … an endpoint check on a status page would never be made: refused.
    with pytest.raises(ConfigError) as raised:
        validate(
            {"services": [{"name": "x", "url": "https://x.test", "method": "HEAD"}]},
            None,
        )
    (problem,) = raised.value.fields
    assert (problem.key, problem.message) == ("method", 'only for own endpoints (kind = "http")')


def test_a_missing_address_is_asked_for_plainly() -> None:
    with pytest.raises(ConfigError) as raised:
        validate({"services": [{"name": "x", "url": ""}]}, None)
    (problem,) = raised.value.fields
    assert problem.key == "url"
    assert problem.message.startswith("required: the address to check")


def test_only_asked_when_another_option_calls_for_it() -> None:
    username = next(o for o in SERVICE_OPTIONS if o.name == "username")
    secret = next(o for o in SERVICE_OPTIONS if o.name == "secret")
    assert username.asked({"auth": "basic"})
    assert not username.asked({"auth": "bearer"})
    assert secret.asked({"auth": "bearer"})
    assert not secret.asked({})


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("status.example.com", "https://status.example.com"),
        ("  www.githubstatus.com/ ", "https://www.githubstatus.com/"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("", ""),
    ],
)
def test_an_address_typed_without_its_scheme_gets_https(typed: str, address: str) -> None:
    assert with_scheme(typed) == address


def test_the_configuration_reference_is_what_the_schema_says() -> None:
    from pathlib import Path

    from traywatch.config.reference import render

    written = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
    assert written.read_text(encoding="utf-8") == render(), (
        "docs/configuration.md is stale: python -m traywatch.config.reference > "
        "docs/configuration.md"
    )


def test_an_address_problem_gives_an_example_of_the_kinds_own_address() -> None:
    """An endpoint's address is not a status page's: its example says so."""
    with pytest.raises(ConfigError) as raised:
        validate(
            {
                "services": [
                    {"name": "Page", "url": ""},
                    {"name": "Mine", "kind": "http", "url": ""},
                    {"name": "Other", "kind": "http", "url": "ftp://x"},
                ],
            },
            None,
        )
    said = {p.index: p.message for p in raised.value.fields if p.key == "url"}
    assert said[0] == "required: the address to check, such as https://www.githubstatus.com"
    assert said[1] == "required: the address to check, such as https://api.example.com/health"
    assert said[2].startswith("expected an http(s) address such as https://api.example.com/health")
