"""/insights through the real discord.py against the fake Discord: a member's own, one post's, the community's."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from engagement.models import Award
from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_PERMISSION, ALICE, BOB
from tests.bot.exts.stats.test_cog import fields_of
from tests.conftest import START
from tests.engagement.analytics.posts import tracked_post
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness

HOUR = 3600.0


def png_size(data: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.size


async def test_a_member_without_posts_is_told_how_to_get_some(discord: DiscordHarness, store: Store) -> None:
    await store.link_account(str(ALICE.id), "77", "alice", "bio", "2026-11-18T00:00:00+00:00")
    bobs = await tracked_post(store, START - HOUR, 5, submitter=str(BOB.id))
    await store.award_engagement(Award(bobs, "77", str(ALICE.id), "reply", 3, 1, "12"))
    reply = await discord.slash("insights", member=ALICE)
    assert reply.last.ephemeral
    [embed] = reply.last.embeds
    assert embed["title"] == "Your insights: the last 7 days"
    assert embed["description"] == "You submitted no posts in the last 7 days. /submit your posts to see how they do."
    assert fields_of(embed)["Earned by engaging"] == "+3 points from 1 award"


async def test_a_members_own_posts_over_a_chosen_period(discord: DiscordHarness, store: Store) -> None:
    best = await tracked_post(store, START - 2 * HOUR, 40, submitter=str(ALICE.id))
    await tracked_post(store, START - 3 * 24 * HOUR, 10, submitter=str(ALICE.id))
    await tracked_post(store, START - 4 * HOUR, 90, submitter=str(BOB.id))  # Bob's: not in Alice's figures
    [embed] = (await discord.slash("insights", {"days": 30}, member=ALICE)).last.embeds
    fields = fields_of(embed)
    assert embed["title"] == "Your insights: the last 30 days"
    assert fields["Posts"] == "2 posts · 2,000 impressions · 50 engagements · avg. rate 2.50 %"
    assert fields["Best post"] == f"[post](https://x.com/i/status/{best}) · rate 4.00 % · 40 engagements"
    assert fields["By category"] == "**art**: 2 posts, 50 engagements, avg. rate 2.50 %"


async def test_one_post_with_its_curve(discord: DiscordHarness, store: Store) -> None:
    post = await tracked_post(store, START - 2 * HOUR, 30, replies=6)
    message = (await discord.slash("insights", {"post": f"https://x.com/a/status/{post}"}, member=BOB)).last
    [embed] = message.embeds
    fields = fields_of(embed)
    assert embed["title"] == "Post insights"
    assert fields["Engagements"] == "30 likes · 0 reposts · 6 replies · 0 quotes"
    assert fields["Engagement rate"] == "3.60 % of 1,000 impressions"
    assert fields["Engagement score"] == "48 (likes x1, reposts x2, replies x3, quotes x2)"
    assert fields["Reply-to-like"] == "0.20 replies per like"
    # The only post: its own 90th percentile for engagement and quality; its author's followers are unknown
    assert fields["Performance score"] == "**70.0** / 100 (engagement 40.0/40 · reach 0.0/30 · quality 30.0/30)"
    assert embed["image"]["url"] == "attachment://post.png"
    assert png_size(message.files["post.png"]) == (800, 320)


@pytest.mark.parametrize(
    ("url", "answer"),
    [
        ("https://x.com/a/status/1870000000000000123", "That post was never submitted in this server"),
        ("hello", "link"),
    ],
    ids=["not submitted", "not a link"],
)
async def test_a_post_that_is_not_one_says_so_and_changes_nothing(
    discord: DiscordHarness, keyspace: Keyspace, url: str, answer: str
) -> None:
    before = await keyspace()
    reply = await discord.slash("insights", {"post": url}, member=BOB)
    assert answer.lower() in reply.last.content.lower()
    assert not reply.last.embeds
    assert await keyspace() == before


async def test_the_community_view_is_for_admins_only(
    discord: DiscordHarness, keyspace: Keyspace, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    await tracked_post(store, START - 2 * HOUR, 30)
    before = await keyspace()
    reply = await discord.slash("insights", {"community": True}, member=BOB)
    assert reply.last.content.startswith("Only admins can see the whole community's insights.")
    assert await keyspace() == before
    assert f"refused /insights community to member {BOB.id}: not an admin" in caplog.text


async def test_an_admin_sees_the_community_with_its_charts(discord: DiscordHarness, store: Store) -> None:
    for hours in (2, 2.05, 26, 26.05):  # two slots of two posts each (3 minutes apart), a day apart
        await tracked_post(store, START - hours * HOUR, int(hours * 10), replies=4)
    message = (await discord.slash("insights", {"community": True}, member=ADMIN_BY_PERMISSION)).last
    summary, mix = message.embeds
    fields = fields_of(summary)
    assert summary["title"] == "Community insights: the last 7 days"
    assert fields["Community type"].startswith("**passive**")
    assert len(fields["Best posting times (UTC)"].splitlines()) == 2
    assert (summary["image"]["url"], mix["image"]["url"]) == ("attachment://best-times.png", "attachment://mix.png")
    assert png_size(message.files["best-times.png"]) == (1000, 400)
    assert png_size(message.files["mix.png"]) == (800, 320)


async def test_with_threads_posts_the_community_view_shows_each_platform(discord: DiscordHarness, store: Store) -> None:
    await tracked_post(store, START - 2 * HOUR, 30)
    await tracked_post(store, START - 3 * HOUR, 20, threads=True)
    message = (await discord.slash("insights", {"community": True}, member=ADMIN_BY_PERMISSION)).last
    lines = fields_of(message.embeds[0])["By platform"].splitlines()
    assert lines == [
        "**X**: 1 post, 30 engagements, 1,000 impressions, avg. rate 3.00 %, passive",
        "**Threads**: 1 post, 20 engagements, 1,000 views, avg. rate 2.00 %, passive",
    ]


async def test_the_period_is_bounded_in_the_command_itself(discord: DiscordHarness) -> None:
    synced = next(
        c for c in discord.api.synced_commands[next(iter(discord.api.synced_commands))] if c["name"] == "insights"
    )
    days = next(option for option in synced["options"] if option["name"] == "days")
    assert (days["min_value"], days["max_value"]) == (1, 90)


async def test_a_threads_post_by_its_link_speaks_of_views_and_shares(discord: DiscordHarness, store: Store) -> None:
    await tracked_post(store, START - 2 * HOUR, 30)  # a bigger X post: not what the Threads post is scored against
    ref = await tracked_post(store, START - 2 * HOUR, 12, replies=3, threads=True)
    submission = await store.submission_for_tweet(ref)
    assert submission is not None
    message = (await discord.slash("insights", {"post": submission.url}, member=BOB)).last
    [embed] = message.embeds
    fields = fields_of(embed)
    assert embed["description"].startswith(f"[Threads post]({submission.url}) by @a.t")
    assert fields["Engagements"] == "12 likes · 0 reposts · 3 replies · 0 quotes · 0 shares"
    assert fields["Engagement rate"] == "1.50 % of 1,000 views"
    assert fields["Performance score"].startswith("**70.0** / 100 (engagement 40.0/40")  # the top of its platform
    assert "against this server's Threads posts" in embed["footer"]["text"]
    assert "On Threads: + shares, over views." not in embed["footer"]["text"]  # that note is the summaries'


async def test_a_members_threads_posts_get_a_line_per_platform(discord: DiscordHarness, store: Store) -> None:
    await tracked_post(store, START - 2 * HOUR, 40, submitter=str(ALICE.id))
    await tracked_post(store, START - 3 * HOUR, 20, submitter=str(ALICE.id), threads=True)
    [embed] = (await discord.slash("insights", member=ALICE)).last.embeds
    fields = fields_of(embed)
    assert fields["Posts"] == "2 posts · 2,000 impressions · 60 engagements · avg. rate 3.00 %"
    assert fields["By platform"].splitlines() == [
        "**X**: 1 post, 40 engagements, 1,000 impressions, avg. rate 4.00 %, passive",
        "**Threads**: 1 post, 20 engagements, 1,000 views, avg. rate 2.00 %, passive",
    ]
    assert embed["footer"]["text"].endswith("On Threads: + shares, over views.")


async def test_a_member_on_x_alone_has_no_platform_lines(discord: DiscordHarness, store: Store) -> None:
    await tracked_post(store, START - 2 * HOUR, 40, submitter=str(ALICE.id))
    [embed] = (await discord.slash("insights", member=ALICE)).last.embeds
    assert "By platform" not in fields_of(embed)
    assert "Threads" not in embed["footer"]["text"]
