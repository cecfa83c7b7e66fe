"""config.toml as a file the user hand-edits and traywatch writes: any config the schema
accepts is written and read back equal, the user's comments survive a save, a save
interrupted at any step leaves a config, and hostile values get plain reasons."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from traywatch.config import (
    Config,
    NotificationSettings,
    ServiceConfig,
    Settings,
    load_config,
    write_config,
)
from traywatch.config.schema import check_url, validate
from traywatch.config.store import dumps, export_watchlist, without_userinfo
from traywatch.core.errors import ConfigError
from traywatch.providers import KINDS

# -- a strategy for every config the schema accepts ------------------------------------

# Any text TOML can hold: hypothesis' text() already leaves out lone surrogates.
any_text = st.text(max_size=12)
names = st.text(min_size=1, max_size=12).map(str.strip).filter(bool)
some_names = st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3).map(tuple)
hosts = st.from_regex(r"[a-z0-9]{1,8}(\.[a-z0-9]{1,8}){0,2}", fullmatch=True)
urls = st.builds(
    lambda scheme, host, port, path: f"{scheme}://{host}{port}/{path}",
    st.sampled_from(["http", "https"]),
    hosts,
    st.sampled_from(["", ":8443", ":1", ":65535"]),
    st.text(st.characters(min_codepoint=0xA0), max_size=8),
).filter(lambda url: check_url(url) is None)
intervals = st.floats(30, 86400, allow_nan=False) | st.integers(30, 86400).map(float)
header_names = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,10}", fullmatch=True)
header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)


def _common() -> dict[str, st.SearchStrategy[object]]:
    return {
        "name": names,
        "url": urls,
        "interval": st.none() | intervals,
        "enabled": st.booleans(),
        "region": st.none() | any_text,
        "products": st.none() | some_names,
        "components": st.none() | some_names,
        "depends_on": st.none() | some_names,
        "mute": st.booleans(),
        "notify_updates": st.booleans(),
    }


status_pages = st.builds(ServiceConfig, kind=st.none() | st.sampled_from(KINDS), **_common())
auth = st.sampled_from(
    [
        {},
        {"auth": "bearer", "secret": "token"},
        {"auth": "basic", "username": "deploy\x7f", "secret": "pw"},
    ]
)
endpoints = st.builds(
    lambda auth, **values: ServiceConfig(kind="http", **values, **auth),
    auth,
    method=st.none() | st.sampled_from(["GET", "HEAD"]),
    expect_status=st.none() | st.lists(st.integers(100, 599), max_size=3).map(tuple),
    body_contains=st.none() | any_text,
    body_regex=st.none() | st.sampled_from([r"ok", r"v\d+", r'"q"\\']),
    degraded_after=st.none() | st.floats(0.01, 120, allow_nan=False),
    headers=st.none()
    | st.dictionaries(header_names, header_values, max_size=3).map(
        lambda d: tuple(sorted(d.items()))
    ),
    **_common(),
)
configs = st.builds(
    Config,
    settings=st.builds(
        Settings,
        interval=intervals,
        timeout=st.floats(1, 120, allow_nan=False),
        concurrency=st.integers(1, 64),
        start_hidden=st.booleans(),
    ),
    services=st.lists(
        status_pages | endpoints, max_size=4, unique_by=lambda s: s.name.casefold()
    ).map(tuple),
    notifications=st.builds(
        NotificationSettings,
        min_severity=st.sampled_from(["operational", "degraded", "major_outage"]),
        flap_polls=st.integers(1, 10),
        quiet_hours=st.sampled_from(["", "22:00-07:00", "00:00-23:59"]),
        quiet_hours_allow_major=st.booleans(),
        storm_limit=st.integers(1, 20),
        sound=st.booleans(),
    ),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(configs)
def test_any_accepted_config_is_written_and_read_back_equal(config: Config) -> None:
    assert validate(_data(config), None) == config  # the strategy makes only valid configs
    assert validate(tomllib.loads(dumps(config)), None) == config


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(configs, configs)
def test_a_save_over_a_commented_file_reads_back_equal_and_keeps_the_comments(
    old: Config, new: Config
) -> None:
    base = "# my watchlist\n" + dumps(old).replace("\n[", "\n# a table follows\n[")
    text = dumps(new, base)
    assert validate(tomllib.loads(text), None) == new
    assert text.startswith("# my watchlist\n")


def _data(config: Config) -> dict[str, object]:
    """What the file would hold, built without the writer."""
    from dataclasses import asdict

    def clean(values: dict[str, object]) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in values.items():
            if value is None or key == "path":
                continue
            if key == "headers":
                value = dict(value)  # type: ignore[call-overload]
            elif isinstance(value, tuple):
                value = list(value)
            out[key] = value
        return out

    return {
        "settings": clean(asdict(config.settings)),
        "notifications": clean(asdict(config.notifications)),
        "services": [clean(asdict(s)) for s in config.services],
    }


def test_control_characters_in_names_are_written_as_valid_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    hostile = ServiceConfig(name="bad\x7fname\x1b[2J\x00\x85!", url="https://a.test")
    write_config(Config(services=(hostile,)), path)
    assert load_config(path).services == (hostile,)


def test_comments_and_layout_of_a_hand_edited_file_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        textwrap.dedent(
            """\
            # traywatch, as I like it
            [settings]
            interval = 300   # five minutes is plenty
            timeout = 10     # the default, written on purpose

            # the platforms we deploy on
            [[services]]
            name = 'Heroku'  # literal string kept
            url = "https://status.heroku.com"

            [[services]]
            name = "GitHub"
            url = "https://www.githubstatus.com"
            """
        ),
        encoding="utf-8",
    )
    config = load_config(path)
    heroku, github = config.services
    changed = Config(
        settings=Settings(interval=600, timeout=10),
        services=(heroku, ServiceConfig(name="GitHub", url=github.url, mute=True)),
        path=path,
    )
    write_config(changed, path)
    text = path.read_text(encoding="utf-8")
    for kept in (
        "# traywatch, as I like it\n",
        "interval = 600   # five minutes is plenty\n",
        "timeout = 10     # the default, written on purpose\n",
        "# the platforms we deploy on\n",
        "name = 'Heroku'  # literal string kept\n",
    ):
        assert kept in text
    assert load_config(path) == changed


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("[settings]\ntimeout = nan", "settings.timeout"),
        ("[settings]\ninterval = inf", "settings.interval"),
        ("[settings]\ninterval = -nan", "settings.interval"),
        ("[settings]\nconcurrency = nan", "settings.concurrency"),
        (
            "[[services]]\nname = 'a'\nurl = 'https://a.test'\nkind = 'http'\ndegraded_after = nan",
            "services[0].degraded_after",
        ),
        ("[[services]]\nname = 'a'\nurl = 'https://a.test'\ninterval = +inf", "services[0]"),
    ],
)
def test_only_finite_numbers_are_accepted(tmp_path: Path, line: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert key in str(caught.value)
    assert "nan" in str(caught.value) or "inf" in str(caught.value)


def test_huge_whole_numbers_are_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[settings]\ninterval = 1" + "0" * 400 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"settings.interval: expected at most 86400"):
        load_config(path)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1", "not a valid address"),
        ("http://127.0.0.1:99999/", "not a valid address"),
        ("http://x.test:0/", "expected a port from 1 to 65535"),
        ("http://xn--zz.test/", "'xn--zz.test' is not a valid host name"),
        ("http://www.xn--ls8h.test/", "'www.xn--ls8h.test' is not a valid host name"),
        ("http://\u200b.test/", "'\\u200b.test' is not a valid host name"),
        ("http://exa mple.test/", "an address cannot contain spaces or control characters"),
        ("http://a.test/\x1b[2J", "an address cannot contain spaces or control characters"),
        ("http://bob:pw@[::1", "not a valid address"),
    ],
)
def test_a_bad_address_gets_a_plain_reason(tmp_path: Path, url: str, reason: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[[services]]\nname = 'a'\nurl = {json.dumps(url)}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"services[0].url: {reason}" in message
    assert ":pw@" not in message  # a password in an address is not repeated


@pytest.mark.parametrize(
    "url", ["https://münchen.test/", "https://xn--mnchen-3ya.test/", "http://a_b.test:8080/x"]
)
def test_good_addresses_pass(url: str) -> None:
    assert check_url(url) is None


def test_request_headers_must_be_sendable(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[[services]]\nname = 'a'\nurl = 'https://a.test'\nkind = 'http'\n"
        "headers = { Accept = 'text/plain', X-Token = 'tök' }\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"services\[0\].headers: the value of 'X-Token'"):
        load_config(path)


def test_exports_never_carry_credentials_written_in_addresses(tmp_path: Path) -> None:
    config = Config(
        services=(
            ServiceConfig(name="mine", url="http://bob:pw@host.test:8080/health?x=1"),
            ServiceConfig(name="user only", url="https://bob@host.test/"),
            ServiceConfig(name="plain", url="https://host.test/"),
        )
    )
    target = tmp_path / "watchlist.toml"
    text = export_watchlist(config, target)
    assert target.read_text(encoding="utf-8") == text
    assert "bob" not in text
    assert "pw" not in text
    urls = [s["url"] for s in tomllib.loads(text)["services"]]
    assert urls == [
        "http://host.test:8080/health?x=1",
        "https://host.test/",
        "https://host.test/",
    ]
    assert without_userinfo("http://[::1]:8080/") == "http://[::1]:8080/"


def test_exports_carry_no_token_in_a_query_or_a_header(tmp_path: Path) -> None:
    config = Config(
        services=(
            ServiceConfig(
                name="api",
                url="https://host.test/health?api_key=k3y&region=eu&access_token=t0k&sig=s1g",
                kind="http",
                headers=(
                    ("Authorization", "Bearer t0k"),
                    ("X-Api-Key", "k3y"),
                    ("Cookie", "session=c00kie"),
                    ("Accept", "application/json"),
                ),
            ),
        )
    )
    text = export_watchlist(config)
    for secret in ("k3y", "t0k", "s1g", "c00kie"):
        assert secret not in text
    [service] = tomllib.loads(text)["services"]
    assert service["url"] == "https://host.test/health?region=eu"
    assert service["headers"] == {"Accept": "application/json"}


# -- a save killed at every step ---------------------------------------------------------

_KILLED_SAVE = """
import os, sys
from pathlib import Path
from traywatch.config import load_config, write_config
from traywatch.config.schema import Config, ServiceConfig
import tomlkit, tempfile  # imported before counting: only the save's own steps count

path = Path(sys.argv[1])
kill_at = int(sys.argv[2])
config = load_config(path)
new = Config(services=(*config.services, ServiceConfig(name="New", url="https://new.test")))
steps = 0

def die_at_a_step(event, args):
    global steps
    if event in ("open", "os.rename", "os.replace", "os.remove", "os.unlink", "os.mkdir"):
        steps += 1
        if steps == kill_at:
            os._exit(9)  # as a power cut or kill -9 would: no cleanup, no flush

sys.addaudithook(die_at_a_step)
write_config(new, path)
os._exit(0)
"""


def test_a_save_killed_at_any_step_leaves_the_old_or_the_new_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    first = '# mine\n[[services]]\nname = "Old"\nurl = "https://old.test"\n'
    killed_at = 0
    for step in range(1, 100):
        path.write_text(first, encoding="utf-8")
        for leftover in tmp_path.glob("*.bak"):
            leftover.unlink()
        result = subprocess.run(
            [sys.executable, "-c", _KILLED_SAVE, str(path), str(step)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode in (0, 9), result.stderr
        names = [s.name for s in load_config(path).services]  # raises if there is none
        assert names in (["Old"], ["Old", "New"])
        if result.returncode == 0:
            assert names == ["Old", "New"]
            assert (tmp_path / "config.toml.bak").read_text(encoding="utf-8") == first
            break
        killed_at += 1
    else:
        pytest.fail("the save never completed")
    assert killed_at >= 4  # temp file, backup in place, temp file, config in place


def test_a_file_that_does_not_validate_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[settings]\ninterval = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"settings\.interval"):
        write_config(Config(), path)
    assert path.read_text(encoding="utf-8") == "[settings]\ninterval = 5\n"
    assert os.listdir(tmp_path) == ["config.toml"]


def test_errors_keep_their_cause_where_it_helps_a_bug_report(tmp_path: Path) -> None:
    import keyring
    from keyring.backends import fail
    from keyring.errors import KeyringError

    from traywatch.config.secrets import SecretsUnavailable, get_secret

    with pytest.raises(ConfigError, match="cannot be read") as unreadable:
        load_config(tmp_path)  # a directory where the file should be
    assert isinstance(unreadable.value.__cause__, IsADirectoryError)

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(SecretsUnavailable) as no_keyring:
            get_secret("anything")
    finally:
        keyring.set_keyring(previous)
    assert isinstance(no_keyring.value.__cause__, KeyringError)

    # An expected, user-facing error says everything itself: no cause to add.
    (tmp_path / "broken.toml").write_text("[settings\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML") as invalid:
        load_config(tmp_path / "broken.toml")
    assert invalid.value.__suppress_context__
