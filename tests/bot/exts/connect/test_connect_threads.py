"""/connect, /disconnect, /submit and /stats for Threads, through the real discord.py harness and the fake Threads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr

from engagement.services import Services
from engagement.settings import Settings
from engagement.store import Store
from engagement.threads import ThreadsAccess
from engagement.threads.client import ThreadsClient
from engagement.threads.sign_in import NOT_SET_UP
from engagement.threads.tokens import ThreadsTokens
from sandbox._demo_threads import with_threads
from sandbox.fake_threads import FakeThreads
from tests.bot.conftest import ALICE
from tests.fakes.discord_api import SentMessage
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.x_tokens import TEST_TOKEN_KEY

PANEL = "http://panel.test"
ALICE_THREADS = "7001"
LINK_BUTTON = 5


@pytest.fixture
def threads_configured() -> bool:
    return True


@pytest.fixture
def bot_settings(bot_settings: Settings, fake_threads: FakeThreads, threads_configured: bool) -> Settings:
    if not threads_configured:
        return bot_settings
    fake_threads.add_user(ALICE_THREADS, "alice.t")
    update = {"public_base_url": PANEL, "token_encryption_keys": SecretStr(TEST_TOKEN_KEY.decode())}
    return with_threads(bot_settings.model_copy(update=update), fake_threads)


@pytest.fixture
async def services(
    bot_settings: Settings, store: Store, x_client: Any, clock: Callable[[], float], threads_configured: bool
) -> AsyncIterator[Services]:
    """The bot's services with Threads access (as `python -m bot` builds them when THREADS_APP_ID is set)."""
    plain = Services(settings=bot_settings, store=store, x=x_client, clock=clock)
    if not threads_configured:
        yield plain
        return
    client = ThreadsClient(bot_settings)
    tokens = ThreadsTokens.from_settings(plain.communities.shared, bot_settings)
    yield Services(settings=bot_settings, store=store, x=x_client, clock=clock, threads=ThreadsAccess(client, tokens))
    await client.aclose()
    await tokens.aclose()


def link_buttons(message: SentMessage) -> dict[str, str]:
    buttons = [item for row in message.components for item in row.get("components", [])]
    return {button["label"]: button["url"] for button in buttons if button.get("style") == LINK_BUTTON}


async def connected(services: Services, fake: FakeThreads) -> None:
    """Alice's Threads account linked and its token stored, as the web callback leaves them."""
    await services.store.link_threads_account(str(ALICE.id), ALICE_THREADS, "alice.t", "2026-11-18T00:00:00+00:00")
    assert services.threads is not None
    tokens = services.threads.tokens
    assert isinstance(tokens, ThreadsTokens)
    await tokens.save_grant(str(ALICE.id), ALICE_THREADS, fake.grant_token(ALICE_THREADS), services.clock() + 5e6)


async def test_connect_threads_offers_the_one_time_link(discord: DiscordHarness) -> None:
    reply = await discord.slash("connect", {"platform": "threads"}, member=ALICE)
    assert reply.last.ephemeral
    assert "Threads does not say who liked or reposted a post" in reply.last.content
    [(label, url)] = link_buttons(reply.last).items()
    assert label == "Connect Threads"
    assert url.startswith(f"{PANEL}/oauth/threads/start?state=")
    assert len(parse_qs(urlsplit(url).query)["state"][0]) >= 40


@pytest.mark.parametrize("threads_configured", [False])
async def test_connect_threads_when_it_is_not_set_up(discord: DiscordHarness, keyspace: Keyspace) -> None:
    before = await keyspace()
    reply = await discord.slash("connect", {"platform": "threads"}, member=ALICE)
    assert NOT_SET_UP in reply.last.content
    assert reply.last.components == []
    assert await keyspace() == before


async def test_submit_a_threads_post_announces_it_with_a_reply_button(
    discord: DiscordHarness, services: Services, fake_threads: FakeThreads
) -> None:
    await connected(services, fake_threads)
    post = fake_threads.add_post(ALICE_THREADS, text="gm from threads", created_at=services.clock() - 60)
    reply = await discord.slash("submit", {"url": post.permalink}, member=ALICE)
    assert reply.channel_messages, reply.last.content
    [announcement] = reply.channel_messages
    [embed] = announcement.embeds
    assert embed["title"] == "New Threads post by @alice.t"
    assert embed["url"] == post.permalink
    assert "Likes and reposts on Threads count in analytics only" in embed["footer"]["text"]
    points = {field["name"]: field["value"] for field in embed["fields"]}["Points by tier (Basic · Active · Power)"]
    assert points.startswith("Reply")
    assert "Like" not in points
    assert link_buttons(announcement) == {"Reply on Threads": post.permalink}
    assert "Submitted and announced" in reply.last.content


async def test_stats_of_a_member_on_threads_says_what_counts_there(
    discord: DiscordHarness, services: Services, fake_threads: FakeThreads
) -> None:
    await connected(services, fake_threads)
    reply = await discord.slash("stats", member=ALICE)
    assert reply.last.embeds, reply.last.content
    [embed] = reply.last.embeds
    threads = {field["name"]: field["value"] for field in embed["fields"]}["Threads"]
    assert "@alice.t connected" in threads
    assert "likes, reposts, quotes and shares there count in analytics only" in threads


async def test_disconnect_threads_unlinks_and_deletes_the_token(
    discord: DiscordHarness, services: Services, fake_threads: FakeThreads, keyspace: Keyspace
) -> None:
    await connected(services, fake_threads)
    reply = await discord.slash("disconnect", {"platform": "threads"}, member=ALICE)
    assert "Disconnected Threads account @alice.t" in reply.last.content
    assert await services.communities.shared.x_token_record(f"threads:{ALICE_THREADS}") == {}
    assert await services.store.members_for_x_users(["threads:alice.t"]) == {}
    before = await keyspace()
    again = await discord.slash("disconnect", {"platform": "threads"}, member=ALICE)
    assert "You have no connected Threads account" in again.last.content
    assert await keyspace() == before
