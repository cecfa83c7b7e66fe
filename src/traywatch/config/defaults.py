"""The watchlist used when there is no config file: platforms most developers lean on."""

from __future__ import annotations

from traywatch.config.schema import Config, ServiceConfig

DEFAULT_SERVICES: tuple[ServiceConfig, ...] = (
    ServiceConfig(name="Heroku", url="https://status.heroku.com", kind="heroku"),
    ServiceConfig(name="GitHub", url="https://www.githubstatus.com", kind="statuspage"),
    # Its services, not its ~330 data centres (the catalog's default; a test keeps them equal).
    ServiceConfig(
        name="Cloudflare",
        url="https://www.cloudflarestatus.com",
        kind="statuspage",
        components=("Cloudflare Sites and Services",),
    ),
    # incident.io-hosted, answering the Statuspage v2 paths.
    ServiceConfig(name="OpenAI", url="https://status.openai.com", kind="statuspage"),
)


def default_config() -> Config:
    return Config(services=DEFAULT_SERVICES, path=None)
