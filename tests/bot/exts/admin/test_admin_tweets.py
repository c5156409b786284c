"""/admin tweets and /admin tweets-delete through the fake Discord."""

from __future__ import annotations

import pytest

from engagement.models import Award
from engagement.services import Services
from engagement.store import Store, SubmissionDraft
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_ROLE, ALICE, BOB, link
from tests.bot.exts.admin.admin_commands import admin, press, refused
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness

TWEET = "1850000000000000001"


async def submitted(store: Store, tweet_id: str, author_x: str, category: str = "general") -> None:
    draft = SubmissionDraft(
        tweet_id, f"https://x.com/alice/status/{tweet_id}", author_x, "alice", str(ALICE.id), category
    )
    await store.create_submission(draft, daily_limit=100)


@pytest.fixture
async def engaged(services: Services, store: Store, fake_x: FakeX, alice_x: str) -> str:
    """Alice's tweet, reposted by Bob for 2 points; returns Bob's X id."""
    bob_x = await link(services, store, fake_x, BOB)
    await submitted(store, TWEET, alice_x)
    await store.award_engagement(Award(TWEET, bob_x, str(BOB.id), "retweet", 2, 1, "1"))
    await store.update_submission_fields("1", {"like_count": 12, "repost_count": 1})
    return bob_x


async def test_list_shows_metrics_and_points(discord: DiscordHarness, engaged: str) -> None:
    reply = await admin(discord, "tweets", member=ADMIN_BY_ROLE)
    [embed] = reply.last.embeds
    assert reply.last.ephemeral
    assert embed["title"] == "Submitted tweets"
    assert f"[{TWEET}](https://x.com/alice/status/{TWEET}) by @alice · general · <@{ALICE.id}>" in embed["description"]
    assert "12 likes, 1 repost · 1 award, 2 points" in embed["description"]
    assert embed["footer"]["text"] == "Page 1/1 · 1 tweet"


async def test_pages_by_option_and_button(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    for n in range(12):
        await submitted(store, str(1850000000000000100 + n), alice_x, "meme" if n < 11 else "thread")
    second = await admin(discord, "tweets", {"page": 2}, member=ADMIN_BY_ROLE)
    assert second.last.embeds[0]["footer"]["text"] == "Page 2/2 · 12 tweets"
    first = await admin(discord, "tweets", {"category": "meme"}, member=ADMIN_BY_ROLE)
    assert first.last.embeds[0]["footer"]["text"] == "Page 1/2 · 11 tweets"
    [next_button] = [
        custom_id for custom_id in first.last.custom_ids if first.last.button(custom_id)["label"] == "Next"
    ]
    clicked = await discord.click(first.last, next_button, member=ADMIN_BY_ROLE)
    assert clicked.last.embeds[0]["footer"]["text"] == "Page 2/2 · 11 tweets"
    assert "1850000000000000100" in clicked.last.embeds[0]["description"]


async def test_bad_page_is_refused(discord: DiscordHarness, keyspace: Keyspace) -> None:
    await refused(discord, keyspace, "tweets", {"page": 0}, "page must be a whole number from 1")


async def test_delete_keeps_points(discord: DiscordHarness, store: Store, engaged: str) -> None:
    options = {"tweet": f"https://x.com/alice/status/{TWEET}", "reason": "spam"}
    reply = await admin(discord, "tweets-delete", options, member=ADMIN_BY_ROLE)
    assert reply.last.content == (
        f"Tweet {TWEET} (submitted by <@{ALICE.id}>) is no longer tracked. Points already awarded for it stay."
    )
    assert await store.submission_for_tweet(TWEET) is None
    assert await store.rank_and_points(str(BOB.id), weekly=False) == (1, 2)
    [entry] = await store.audit_entries(1)
    assert (entry["actor"], entry["action"], entry["reason"]) == (str(ADMIN_BY_ROLE.id), "tweet-delete", "spam")


async def test_delete_with_revoke_takes_the_points_back(discord: DiscordHarness, store: Store, engaged: str) -> None:
    asked = await admin(discord, "tweets-delete", {"tweet": TWEET, "revoke": True}, member=ADMIN_BY_ROLE)
    reply = await press(discord, asked, "Confirm")
    assert reply.last.content.endswith("Revoked 1 award (2 points).")
    assert reply.last.message_id == asked.last.message_id  # the question becomes the answer
    assert not reply.last.components
    assert await store.rank_and_points(str(BOB.id), weekly=False) == (1, 0)
    assert await store.rank_and_points(str(BOB.id), weekly=True) == (1, 0)


@pytest.mark.parametrize(
    ("tweet", "message"),
    [
        ("1850000000000000999", "No submitted tweet has the id 1850000000000000999."),
        ("https://example.com/alice/status/1", "That link is not on x.com, twitter.com or threads."),
        ("not a tweet", "Please give one post link"),
    ],
)
async def test_unknown_or_bad_tweet_is_refused(
    discord: DiscordHarness, keyspace: Keyspace, engaged: str, tweet: str, message: str
) -> None:
    await refused(discord, keyspace, "tweets-delete", {"tweet": tweet, "revoke": True}, message)


async def test_list_and_delete_defer_before_reading_every_submission(discord: DiscordHarness, engaged: str) -> None:
    """Listing reads every submission ever made, deleting reads every award of the tweet: both defer first."""
    listed = await admin(discord, "tweets", member=ADMIN_BY_ROLE)
    assert listed.deferred
    assert listed.callback_flags == 64
    assert listed.last.ephemeral
    assert listed.last.embeds[0]["title"] == "Submitted tweets"
    asked = await admin(discord, "tweets-delete", {"tweet": TWEET, "revoke": True}, member=ADMIN_BY_ROLE)
    assert asked.last.ephemeral
    deleted = await press(discord, asked, "Confirm")
    assert deleted.deferred
    assert deleted.last.ephemeral
    assert deleted.last.content.endswith("Revoked 1 award (2 points).")
