"""Web panel latency at scale: the Overview and Leaderboard pages over 100,000 members and their award logs.

Run: `scripts/bench web [--members N] [--logs N] [--samples N]` (or `.venv/bin/python -m bench.web`).

Loads members and logs as `scripts/bench commands` does (the real Store calls), logs an admin in through the
whole Discord OAuth round trip (a loopback fake of Discord's OAuth endpoints), then times full page requests
through the ASGI app (FastAPI, Jinja2, the session and role check on every request) one at a time: Overview,
Leaderboard page 1 and a deep page, and the leaderboard API. The Overview is timed twice: with no worker
(the page computes the monitoring figures) and after the worker's monitoring refresh saved them (what a
deployment sees). Any response other than 200 fails the bench.
The server is `REDIS_URL` (a private key prefix, deleted after) or an embedded Valkey.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from redis.asyncio import Redis

from bench import _common as common
from bench import _seed as seed
from bench._common import BenchFailure
from bench.commands import ENGAGERS_PER_TWEET, LOAD_CONCURRENCY, WARMUP, load_logs
from engagement.api_tokens import RateLimit
from engagement.discord_oauth import DiscordOAuth
from engagement.keys import Keys
from engagement.monitoring import BatchMonitor
from engagement.services import Services
from engagement.settings import Settings, load_settings
from engagement.store import Store
from tests.fakes.discord_oauth import MANAGE_GUILD, FakeDiscordOAuth
from web.api.auth import Limits
from web.app import create_app

GUILD = 1100000000000000001
APP_ID = 1300000000000000001
SECRET = "bench-client-secret"
BASE = "http://panel.bench"
PAGE_SIZE = 10  # the leaderboard shows ten a page


async def _logged_in(client: httpx.AsyncClient, fake: FakeDiscordOAuth) -> None:
    """An admin's browser round trip: /login -> Discord's authorize -> /auth/callback."""
    fake.log_in_as(fake.add_user("100000000000000011", "Ada").join(GUILD, permissions=MANAGE_GUILD))
    start = await client.get("/login")
    async with httpx.AsyncClient() as browser:
        approved = await browser.get(start.headers["location"])
    done = await client.get(approved.headers["location"])
    if done.status_code not in (200, 303):
        raise BenchFailure(f"web: the admin could not log in (HTTP {done.status_code})")


async def _time(
    request: Callable[[], Awaitable[httpx.Response]], samples: int, warmup: int = WARMUP
) -> dict[str, float]:
    for _ in range(warmup):
        await request()
    durations = []
    for _ in range(samples):
        started = time.perf_counter()
        response = await request()
        durations.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise BenchFailure(f"web: {response.request.url.path} answered HTTP {response.status_code}")
    return common.percentiles(durations)


def _settings(prefix: str, fake: FakeDiscordOAuth) -> Settings:
    return load_settings(
        _env_file=None,
        key_prefix=prefix,
        discord_guild_id=GUILD,
        discord_application_id=APP_ID,
        discord_client_secret=SECRET,
        discord_api_base_url=fake.base_url,
        public_base_url=BASE,
    )


async def measure(client: Redis, prefix: str, options: argparse.Namespace) -> dict[str, Any]:
    store = Store(client, Keys(prefix))
    started = time.perf_counter()
    await seed.seed_members(store, options.members, LOAD_CONCURRENCY)
    await seed.submit_awarded_tweets(store, seed.awarded_tweets(options.logs, ENGAGERS_PER_TWEET), options.members)
    await load_logs(store, options.members, options.logs)
    print(f"loaded {options.members:,} members and {options.logs:,} logs in {time.perf_counter() - started:.1f} s")
    fake = FakeDiscordOAuth(str(APP_ID), SECRET)
    await fake.start()
    try:
        settings = _settings(prefix, fake)
        services = Services(settings=settings, store=store, x=None)  # type: ignore[arg-type]  # pages ask X nothing
        oauth = DiscordOAuth(settings)
        app = create_app(services, settings, oauth)
        # Latency, not the limits: one client sends every request, far past the per-IP limit of 120 a minute.
        app.state.api_limits = Limits(RateLimit(10**9, 60), RateLimit(10**9, 60))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as web:
            await _logged_in(web, fake)
            overview = f"/c/{GUILD}/overview"
            # Without a worker the page computes the monitoring figures itself (a few samples: seconds each at 100k)
            latency = {"Overview, no worker": await _time(lambda: web.get(overview), min(options.samples, 3), 1)}
            started = time.perf_counter()
            await BatchMonitor(store, NoRateLimits(), settings.batch_window_hours).refresh()  # the worker's refresh
            refresh_ms = (time.perf_counter() - started) * 1000
            deep = max(options.members // PAGE_SIZE // 2, 1)
            pages = {
                "Overview": overview,
                "Leaderboard page 1": f"/c/{GUILD}/leaderboard",
                f"Leaderboard page {deep:,}": f"/c/{GUILD}/leaderboard?page={deep}",
                "API leaderboard": f"/api/v1/communities/{GUILD}/leaderboard",
            }
            for name, path in pages.items():
                latency[name] = await _time(lambda path=path: web.get(path), options.samples)
        await oauth.aclose()
    finally:
        await fake.close()
    return {"latency": latency, "worker_refresh_ms": round(refresh_ms, 1)}


class NoRateLimits:
    """The bench's worker has read no X rate limits."""

    def snapshot(self) -> dict[str, dict[str, float | int | None]]:
        return {}


def show(results: dict[str, Any]) -> None:
    common.print_table(
        "web panel, one request at a time through the ASGI app (session and role check included)",
        ["page", "p50 ms", "p99 ms", "max ms"],
        [[name, row["p50_ms"], row["p99_ms"], row["max_ms"]] for name, row in results["latency"].items()],
    )
    print(f"the worker's monitoring refresh (saved for the Overview every 30 s): {results['worker_refresh_ms']} ms")


async def run(url: str, options: argparse.Namespace) -> dict[str, Any]:
    async with common.bench_client(url) as client, common.private_prefix(client) as prefix:
        results = await measure(client, prefix, options)
        show(results)
        return {
            "bench": "web",
            "machine": common.machine(),
            "redis": await common.server_info(client),
            "members": options.members,
            "logs": options.logs,
            "samples": options.samples,
            **results,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.scale_options(parser, logs=200_000, samples=500, what="requests per page")
    common.run_bench("web", parser, run)


if __name__ == "__main__":
    main()
