"""`python -m web`: serve the panel with uvicorn on WEB_HOST:WEB_PORT. Bad settings or no Redis: one line, exit 2."""

from __future__ import annotations

import asyncio
import logging
import sys

import uvicorn

from engagement.errors import SettingsError, StoreUnavailable
from engagement.logs import configure_logging, secrets_in
from engagement.redis_conn import open_store
from engagement.services import Services, XLookups
from engagement.settings import Settings, load_settings
from web.app import create_app

log = logging.getLogger(__name__)
NO_OAUTH = (
    "DISCORD_APPLICATION_ID and DISCORD_CLIENT_SECRET are needed for the panel's Discord login "
    "(the application's OAuth2 page; add PUBLIC_BASE_URL/auth/callback as a redirect there)."
)


class NoX:
    """The panel never asks X (the worker does): it needs no bearer token."""

    def __getattr__(self, name: str) -> object:
        raise SettingsError(f"the web panel does not call X ({name})")


async def serve(settings: Settings) -> None:
    async with open_store(settings) as store:
        x: XLookups = NoX()  # type: ignore[assignment]
        app = create_app(Services(settings=settings, store=store, x=x), settings)
        config = uvicorn.Config(app, host=settings.web_host, port=settings.web_port, log_config=None)
        log.info("web panel at %s", settings.web_base_url)
        await uvicorn.Server(config).serve()


def main() -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    if settings.discord_application_id is None or settings.discord_client_secret is None:
        print(NO_OAUTH, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, secrets_in(settings))
    try:
        asyncio.run(serve(settings))
    except (SettingsError, StoreUnavailable) as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
