"""`scripts/run`: the bot, the worker and the web panel together, or the offline demo when no Discord token is set."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

from engagement.embedded import start_embedded_server, stop_embedded_server
from engagement.errors import SettingsError, StoreUnavailable
from engagement.logs import configure_logging, secrets_in
from engagement.redis_conn import connect_redis
from engagement.settings import Settings, load_settings

log = logging.getLogger(__name__)


async def _check_redis(url: str) -> None:
    client = await connect_redis(url)
    await client.aclose()


def _services(settings: Settings) -> tuple[str, ...]:
    """The bot and the worker, and the web panel when its Discord login is configured (else one line says so)."""
    if settings.discord_application_id is None or settings.discord_client_secret is None:
        print("The web panel is not started: set DISCORD_APPLICATION_ID and DISCORD_CLIENT_SECRET for its login.")
        return ("bot", "worker")
    print(f"The web panel: {settings.web_base_url}")
    return ("bot", "worker", "web")


async def _supervise(env: dict[str, str], modules: tuple[str, ...]) -> int:
    """Run `python -m <module>` for each; when one stops, stop the others."""
    children = [await asyncio.create_subprocess_exec(sys.executable, "-m", module, env=env) for module in modules]

    def stop_all() -> None:
        for child in children:
            if child.returncode is None:
                child.terminate()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop_all)
    await asyncio.wait([asyncio.ensure_future(c.wait()) for c in children], return_when=asyncio.FIRST_COMPLETED)
    stop_all()
    codes = [await child.wait() for child in children]
    return next((code for code in codes if code not in (0, -signal.SIGTERM)), 0)


def run_services(settings: Settings) -> int:
    server = None
    env = dict(os.environ)
    data_dir = settings.data_dir.resolve() / "redis"
    if settings.redis_url is None:
        server, env["REDIS_URL"] = start_embedded_server(data_dir)
    try:
        asyncio.run(_check_redis(env["REDIS_URL"]))
        return asyncio.run(_supervise(env, _services(settings)))
    finally:
        stop_embedded_server(server, data_dir)


def main() -> int:
    try:
        settings = load_settings()
        configure_logging(settings.log_level, secrets_in(settings))
        if settings.discord_bot_token is None or not settings.discord_bot_token.get_secret_value():
            try:
                from sandbox.demo import run_demo
            except ModuleNotFoundError:  # the production image ships without sandbox/
                print("error: DISCORD_BOT_TOKEN is not set, and this install has no offline demo", file=sys.stderr)
                return 2
            print("No DISCORD_BOT_TOKEN is set: running the offline demo (set it in .env to run the bot).")
            return run_demo(settings)
        return run_services(settings)
    except (SettingsError, StoreUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
