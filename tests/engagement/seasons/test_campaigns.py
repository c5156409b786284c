"""Campaigns: the multiplier applied at award time through a real batch, several campaigns, and checked inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engagement.errors import InvalidInput, Refused
from engagement.seasons import add_campaign_post, campaign_board, create_campaign, end_campaign
from engagement.services import Services
from engagement.settings import load_settings
from engagement.store import Store
from rules.campaigns import Campaign, combined, in_campaign, multiplied
from tests.conftest import FakeClock
from tests.engagement.admin.world import ADMIN
from tests.engagement.batch_world import BatchWorld
from tests.fakes.discord_fixtures import Keyspace

MEMES = Campaign("1", "Memes", 0, 100, Decimal("1.5"), "category", "meme")


def test_multipliers_multiply_once_each_round_half_up_and_stop_at_ten() -> None:
    assert multiplied(3, [MEMES]) == (5, "1.5")  # 4.5 rounds up
    assert multiplied(3, []) == (3, "")
    assert multiplied(2, [MEMES, Campaign("2", "x2", 0, 100, Decimal(2), "hashtag", "launch")]) == (6, "3")
    assert combined([Decimal(4), Decimal(4)]) == Decimal(10)


def test_which_posts_a_campaign_takes() -> None:
    tags = Campaign("2", "Launch", 0, 100, Decimal(2), "hashtag", "launch")
    picked = Campaign("3", "Picks", 0, 100, Decimal(2), "posts", "", frozenset({"7"}))
    assert in_campaign(MEMES, "1", "meme", "", 50)
    assert not in_campaign(MEMES, "1", "meme", "", 100)  # its end is outside [start, end)
    assert not in_campaign(MEMES, "1", "art", "", 50)
    assert in_campaign(tags, "1", "art", "Big news #Launch today", 50)
    assert not in_campaign(tags, "1", "art", "#launchpad", 50)
    assert in_campaign(picked, "7", "art", "", 50)
    assert not in_campaign(picked, "8", "art", "", 50)


async def test_a_campaign_multiplies_awards_by_the_tier_at_award_time(world: BatchWorld, clock: FakeClock) -> None:
    world.settings = load_settings(categories="general,meme")
    services = Services(world.settings, world.store, world.x, clock=clock)
    await create_campaign(services, ADMIN, "Meme week", "now", "2026-11-25", "1.5", "category", "meme")
    await world.member("alice")
    bob = await world.member("bob")
    first = await world.submit("t1", "alice")
    await world.store.update_submission_fields((await world.store.submission_for_tweet(first)).id, {"category": "meme"})  # type: ignore[union-attr]
    world.fake.reply(bob.x_id, first)
    await world.run()
    await world.store.set_tier(ADMIN, world.discord("bob"), 2)  # mid-campaign
    clock.advance(600)
    world.fake.quote(bob.x_id, first)
    await world.run()
    logs = await world.store.logs_by_id(await world.store.tweet_log_ids(first))
    assert sorted((log.type, log.tier, log.points, log.multiplier) for log in logs) == [
        ("quote", 2, 6, "1.5"),  # tier 2 quote: 4 x 1.5
        ("reply", 1, 5, "1.5"),  # tier 1 reply: 3 x 1.5 = 4.5, rounded half up
    ]
    board = await campaign_board(services, "meme week", 0, world.discord("bob"))
    assert [(entry.discord_id, entry.points) for entry in board.entries] == [(world.discord("bob"), 11)]
    assert await world.store.rank_and_points(world.discord("bob"), weekly=False) == (1, 11)


async def test_picked_posts_and_a_campaign_ended_early(services: Services, store: Store) -> None:
    await create_campaign(services, ADMIN, "Picks", "now", "2026-11-25", "2", "posts")
    with pytest.raises(Refused, match="never submitted here"):
        await add_campaign_post(services, ADMIN, "Picks", "https://x.com/a/status/1850000000000000001")
    await end_campaign(services, ADMIN, "picks")
    with pytest.raises(Refused, match="has ended already"):
        await end_campaign(services, ADMIN, "Picks")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("M", "now", "2026-11-25", "0", "category", "general"), "The multiplier is a number from 0.1 to 10"),
        (("M", "now", "2026-11-25", "11", "category", "general"), "The multiplier is a number from 0.1 to 10"),
        (("M", "now", "2026-11-25", "1.505", "category", "general"), "at most 2 decimals"),
        (("M", "now", "2026-11-25", "abc", "category", "general"), "The multiplier is a number"),
        (("M", "now", "2026-11-25", "1.5", "category", "nope"), "The category must be one of"),
        (("M", "now", "2026-11-25", "1.5", "hashtag", "#a b"), "The hashtag must be letters"),
        (("M", "now", "2026-11-25", "1.5", "mood", ""), "A campaign takes posts by category, hashtag, posts"),
    ],
)
async def test_bad_campaign_inputs_are_refused_clearly_and_change_nothing(
    services: Services, keyspace: Keyspace, args: tuple[str, ...], message: str
) -> None:
    before = await keyspace()
    with pytest.raises(InvalidInput, match=message):
        await create_campaign(services, ADMIN, *args)
    assert await keyspace() == before
