"""`python -m bot [--sync-global]`: run the Discord bot until stopped.

Bad settings, an unreachable Redis, a missing or rejected token: one line on
stderr and exit status 2, no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

import aiohttp
import discord

from bot.bot import EngagementBot
from engagement.errors import SettingsError, StoreUnavailable
from engagement.logs import configure_logging, secrets_in
from engagement.resources import open_resources
from engagement.services import Services
from engagement.settings import Settings, load_settings
from engagement.threads.wiring import threads_access
from engagement.x_oauth import shared_beside

log = logging.getLogger(__name__)

NO_TOKEN = "DISCORD_BOT_TOKEN is not set: the bot cannot log in to Discord (see .env.example)."
NO_GUILD = (
    "DISCORD_GUILD_ID is not set: the bot serves one server and refuses every other one (and DMs), "
    "so it needs that server's id, with or without --sync-global (see .env.example)."
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Run the engagement tracker's Discord bot.")
    parser.add_argument(
        "--sync-global",
        action="store_true",
        help="also sync slash commands globally (they then show in every server the bot is in, but only "
        "DISCORD_GUILD_ID is served; takes up to an hour to spread)",
    )
    return parser.parse_args(argv)


async def run_bot(settings: Settings, token: str, *, sync_global: bool) -> None:
    async with open_resources(settings) as (store, x), threads_access(shared_beside(store), settings) as threads:
        bot = EngagementBot(Services(settings=settings, store=store, x=x, threads=threads), sync_global=sync_global)
        async with bot:
            _close_on_signals(bot)
            await bot.start(token)


def _close_on_signals(bot: EngagementBot) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # not available on every platform
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    if settings.discord_bot_token is None or not settings.discord_bot_token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return 2
    if settings.discord_guild_id is None:
        print(NO_GUILD, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, secrets_in(settings))
    # The bot never joins voice: no warning about voice libraries it does not need.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    token = settings.discord_bot_token.get_secret_value()
    try:
        asyncio.run(run_bot(settings, token, sync_global=args.sync_global))
    except (SettingsError, StoreUnavailable) as error:  # e.g. no TWITTER_BEARER_TOKEN, Redis unreachable
        print(error, file=sys.stderr)
        return 2
    except discord.LoginFailure:
        print("DISCORD_BOT_TOKEN was rejected by Discord: check the token in the developer portal.", file=sys.stderr)
        return 2
    except (aiohttp.ClientConnectionError, OSError) as error:
        print(f"cannot reach Discord ({error}); check the network and try again.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
