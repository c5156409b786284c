"""The offline demo's web panel: the real app on uvicorn, its Discord login answered by a loopback fake.

The demo logs its admin in through the whole OAuth round trip (authorize, callback, session cookie) and reads
the Overview, so a newcomer sees the panel work; with `DEMO_PANEL_MINUTES` it stays open that long for them to
click through (the fake approves every login as the demo's admin).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import socket
from collections.abc import AsyncIterator

import httpx
import uvicorn
from pydantic import SecretStr

from engagement.discord_oauth import DiscordOAuth
from engagement.services import Services
from engagement.settings import Settings
from sandbox.fake_discord_oauth import MANAGE_GUILD, FakeDiscordOAuth
from web.app import create_app

DEMO_GUILD = 1100000000000000001
DEMO_APP = 1300000000000000001
DEMO_ADMIN_USER = "100000000000000099"
_CARD = re.compile(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def demo_settings(settings: Settings, discord_api: str) -> Settings:
    """The demo's settings with its panel's login pointed at the fake Discord."""
    update = {
        "discord_guild_id": DEMO_GUILD,
        "discord_application_id": DEMO_APP,
        "discord_client_secret": SecretStr(secrets.token_hex(16)),
        "discord_api_base_url": discord_api,
        "public_base_url": None,
    }
    return settings.model_copy(update=update)


def listen(settings: Settings) -> socket.socket:
    """The panel's socket, bound now: WEB_PORT, or a free port for 0 (its number is then known before start)."""
    return socket.create_server((settings.web_host, settings.web_port))


@contextlib.asynccontextmanager
async def demo_panel(
    settings: Settings, services: Services, listening: socket.socket | None = None
) -> AsyncIterator[str]:
    """Serve the panel for `services` on `listening` (else WEB_HOST:WEB_PORT, or any free port for 0); yields
    its base URL."""
    assert settings.discord_client_secret is not None
    discord = FakeDiscordOAuth(str(DEMO_APP), settings.discord_client_secret.get_secret_value())
    discord.log_in_as(discord.add_user(DEMO_ADMIN_USER, "Demo admin").join(DEMO_GUILD, permissions=MANAGE_GUILD))
    await discord.start()
    listening = listening or listen(settings)
    port = listening.getsockname()[1]
    panel_settings = settings.model_copy(update={"discord_api_base_url": discord.base_url, "web_port": port})
    app = create_app(services, panel_settings, DiscordOAuth(panel_settings))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False))
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        while not server.started:
            if serving.done():
                serving.result()
                raise RuntimeError(f"the demo panel could not start on {panel_settings.web_base_url}")
            await asyncio.sleep(0.05)
        yield panel_settings.web_base_url
    finally:
        server.should_exit = True
        await serving
        listening.close()
        await discord.close()


async def log_in_and_read_overview(base_url: str) -> dict[str, str]:
    """Log the demo admin in as a browser would (following the OAuth redirects) and read the Overview's cards."""
    async with httpx.AsyncClient(base_url=base_url, follow_redirects=True, timeout=10) as browser:
        home = await browser.get("/login")
        home.raise_for_status()
        overview = await browser.get(f"/c/{DEMO_GUILD}/overview")
        overview.raise_for_status()
    return {name: " ".join(_TAGS.sub("", value).split()) for name, value in _CARD.findall(overview.text)}
