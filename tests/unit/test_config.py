from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from traywatch.config import (
    Config,
    NotificationSettings,
    ServiceConfig,
    Settings,
    load_config,
    write_config,
)
from traywatch.config.schema import (
    NOTIFICATION_OPTIONS,
    SERVICE_OPTIONS,
    SETTINGS_OPTIONS,
    validate,
)
from traywatch.config.store import default_config_path, dumps
from traywatch.core.errors import ConfigError

GOOD = """
[settings]
interval = 300
timeout = 5
concurrency = 4

[[services]]
name = "GitHub"
kind = "statuspage"
url = "https://www.githubstatus.com"

[[services]]
name = "Heroku"
url = "https://status.heroku.com"
interval = 60
"""


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_good_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.settings == Settings(interval=300, timeout=5, concurrency=4)
    github, heroku = config.services
    assert github == ServiceConfig(
        name="GitHub", url="https://www.githubstatus.com", kind="statuspage"
    )
    assert heroku.kind is None  # detected when polled
    assert config.interval_for(heroku) == 60
    assert config.interval_for(github) == 300
    assert config.find("github") is github


def test_no_file_gives_the_default_watchlist() -> None:
    config = load_config()
    assert not default_config_path().exists()
    names = [s.name for s in config.services]
    assert {"Heroku", "GitHub", "Cloudflare", "OpenAI"} <= set(names)
    assert all(s.url.startswith("https://") for s in config.services)
    assert config.path is None


def test_environment_variable_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, GOOD)
    monkeypatch.setenv("TRAYWATCH_CONFIG", str(path))
    assert load_config().path == path


def test_a_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[settings\ninterval = 1", "not valid TOML: "),
        ("[settings]\ninterval = 10\n", "settings.interval: expected at least 30, got 10"),
        ("[settings]\ninterval = 'often'\n", "settings.interval: expected a number, got 'often'"),
        (
            "[settings]\nconcurrency = 2.5\n",
            "settings.concurrency: expected a whole number, got 2.5",
        ),
        (
            "[settings]\nintervall = 60\n",
            "settings: unknown key 'intervall' "
            "(known: interval, timeout, concurrency, start_hidden)",
        ),
        ("[[services]]\nurl = 'https://x.test'\n", "services[0].name: required"),
        (
            "[[services]]\nname = 'X'\nurl = 'ftp://x.test'\n",
            "services[0].url: expected an http(s) address",
        ),
        (
            "[[services]]\nname = 'X'\nurl = 'https://x.test'\nkind = 'rss'\n",
            "services[0].kind: expected one of statuspage, incidentio, heroku, google-cloud",
        ),
        (
            "[[services]]\nname = 'X'\nurl = 'https://x.test'\n[[services]]\nname = 'x'\nurl = 'https://y.test'\n",
            "services[1].name: another service is already called 'x'",
        ),
        (
            "[[services]]\nname = 'X'\nurl = 'https://x.test'\nenabled = 'yes'\n",
            "services[0].enabled: expected true or false, got 'yes'",
        ),
        ("services = 3\n", "services: expected an array of tables"),
        ("colour = 'red'\n", "unknown key 'colour'"),
        (
            "[notifications]\nquiet_hours = '10pm-7am'\n",
            "notifications.quiet_hours: expected a range such as \"22:00-07:00\", got '10pm-7am'",
        ),
        (
            "[[services]]\nname = 'X'\nurl = 'https://x.test'\nproducts = 'dns'\n",
            'services[0].products: expected a list of names such as ["compute", "dns"]',
        ),
        (
            "[[services]]\nname = 'X'\nurl = 'https://x.test'\nkind = 'statuspage'\n"
            "body_contains = 'ok'\n",
            'services[0].body_contains: only for own endpoints (kind = "http")',
        ),
        (
            "[[services]]\nname = 'X'\nurl = 'https://x.test'\nkind = 'http'\nauth = 'bearer'\n",
            "services[0].secret: required with auth",
        ),
        (
            "[[services]]\nname = 'X'\nurl = 'https://x.test'\nkind = 'http'\n"
            "expect_status = [200, 'ok']\n",
            "services[0].expect_status: expected a list of HTTP status codes",
        ),
        (
            "[[services]]\nname = 'X'\nurl = 'https://x.test'\nkind = 'http'\nbody_regex = '('\n",
            "services[0].body_regex: not a valid regular expression",
        ),
        (
            "[notifications]\nmin_severity = 'bad'\n",
            "notifications.min_severity: expected one of operational, maintenance, degraded",
        ),
    ],
)
def test_bad_files_are_explained(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_config(write(tmp_path, b"name = '\xff'"))


def test_all_problems_are_listed_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "[settings]\ninterval = 1\ntimeout = 0\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "settings.interval" in str(caught.value)
    assert "settings.timeout" in str(caught.value)


def test_write_is_atomic_and_keeps_a_backup(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    config = load_config(path)
    changed = Config(
        settings=config.settings,
        services=(*config.services, ServiceConfig(name='Quote "me"', url="https://q.test/ä")),
        path=path,
    )
    write_config(changed, path)
    assert (tmp_path / "config.toml.bak").read_text(encoding="utf-8") == GOOD
    reloaded = load_config(path)
    assert reloaded.services == changed.services
    assert reloaded.settings == changed.settings
    assert not list(tmp_path.glob(".config.*.tmp"))


def test_a_broken_file_is_never_overwritten(tmp_path: Path) -> None:
    broken = b"[settings]\ninterval = 10 # too short\n\xff"
    path = write(tmp_path, broken)
    with pytest.raises(ConfigError):
        write_config(Config(services=(ServiceConfig(name="A", url="https://a.test"),)), path)
    assert path.read_bytes() == broken
    assert not (tmp_path / "config.toml.bak").exists()


def test_dumps_round_trips_every_declared_option() -> None:
    config = Config(
        settings=Settings(interval=45.5, timeout=3, concurrency=2, start_hidden=False),
        services=(
            ServiceConfig(
                name='A\\B "q" ä',
                url="https://a.test",
                kind="http",
                interval=90,
                enabled=False,
                region="us-east-1",
                products=("compute", "dns"),
                components=("Apps", "Data"),
                depends_on=("Heroku",),
                mute=True,
                notify_updates=True,
                method="HEAD",
                expect_status=(200, 204),
                body_contains="ok",
                body_regex=r"v\d+",
                degraded_after=1.5,
                headers=(("Accept", "text/plain"), ("X-Team", 'a "b"')),
                auth="basic",
                username="deploy",
                secret="my-app-password",
            ),
        ),
        notifications=NotificationSettings(
            min_severity="degraded",
            flap_polls=3,
            quiet_hours="22:30-06:45",
            quiet_hours_allow_major=False,
            storm_limit=5,
            sound=True,
        ),
    )
    text = dumps(config)
    data = tomllib.loads(text)
    assert set(data["settings"]) == {o.name for o in SETTINGS_OPTIONS}
    assert set(data["services"][0]) == {o.name for o in SERVICE_OPTIONS}
    assert set(data["notifications"]) == {o.name for o in NOTIFICATION_OPTIONS}
    assert validate(data, None) == config
    assert data["services"][0]["name"] == 'A\\B "q" ä'
    assert data["settings"]["interval"] == 45.5


def test_every_declared_option_has_help_and_a_valid_default() -> None:
    for option in (*SETTINGS_OPTIONS, *NOTIFICATION_OPTIONS, *SERVICE_OPTIONS):
        assert option.help
        if not option.required and option.default is not None:
            assert isinstance(option.default, option.type)
    for options, defaults in (
        (SETTINGS_OPTIONS, Settings()),
        (NOTIFICATION_OPTIONS, NotificationSettings()),
    ):
        for option in options:
            assert getattr(defaults, option.name) == option.default
