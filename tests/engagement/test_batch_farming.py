"""The anti-farming rules in the batch, each on crafted replies, reposts and quotes through the fake X."""

from __future__ import annotations

from datetime import UTC, datetime

from engagement.admin import set_config
from engagement.batch import COMPLETED, BatchOutcome, BatchTally
from engagement.batch._awarding import Awarder
from engagement.batch._selection import TrackedTweet
from rules import default_rules
from rules.farming import COOLDOWN, DAILY_CAP, LOW_EFFORT_REPLY, REPEATED_REPLY, SHORT_REPLY
from tests.conftest import FakeClock, dump_keyspace
from tests.engagement.batch_world import BatchWorld

ADMIN = "900000000000000001"
DAY = 86400


async def rules(world: BatchWorld, **values: object) -> None:
    """Turn rules on as an admin would (`/admin config`)."""
    for name, value in values.items():
        await set_config(world.store, ADMIN, name, str(value))


async def refused(world: BatchWorld, label: str) -> dict[str, str]:
    """`{p}:refused:{tweetId}` of a post, as (member name, type) -> rule."""
    raw = await world.store.redis.hgetall(world.store.keys.refused(world.tweets[label]))
    names = {member.x_id: name for name, member in world.members.items()}
    found = {}
    for entry, rule in raw.items():
        x_id, kind = entry.split("-")
        found[f"{names[x_id]}-{kind}"] = rule
    return found


async def run(world: BatchWorld) -> BatchOutcome:
    outcome = await world.run()
    assert outcome.status == COMPLETED, outcome.summary()
    return outcome


def at(clock: FakeClock, seconds: float) -> datetime:
    """A moment `seconds` from now on the test's clock."""
    return datetime.fromtimestamp(clock.now + seconds, UTC)


async def crafted(world: BatchWorld, clock: FakeClock) -> None:
    """One engagement for each rule: a short reply, an emoji-only one, a mentions-only one, a repeat, a reply and
    a repost inside a cool-down; and a good reply by the same members."""
    for name in ("alice", "bob", "carol", "dave", "erin"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    t2 = await world.submit("t2", "alice")
    fake, x = world.fake, world.x_id
    fake.reply(x("bob"), t1, "@alice gm", created_at=at(clock, 100))
    fake.reply(x("carol"), t1, "@alice 🔥🚀🔥", created_at=at(clock, 100))
    fake.reply(x("dave"), t1, "@alice @bob @carol", created_at=at(clock, 100))
    fake.reply(x("erin"), t1, "@alice What a thread, thanks for writing it up!", created_at=at(clock, 100))
    fake.reply(x("erin"), t2, "@alice what a thread, THANKS for writing it up!", created_at=at(clock, 101))
    fake.reply(x("bob"), t2, "@alice Quick, but a real answer here.", created_at=at(clock, 5))
    clock.advance(5)
    fake.retweet(x("carol"), t2)
    clock.advance(200)


ALL_PAID = {
    ("t1", "bob", "reply"),
    ("t1", "carol", "reply"),
    ("t1", "dave", "reply"),
    ("t1", "erin", "reply"),
    ("t2", "erin", "reply"),
    ("t2", "bob", "reply"),
    ("t2", "carol", "retweet"),
}


async def paid(world: BatchWorld) -> set[tuple[str, str, str]]:
    labels = {tweet_id: label for label, tweet_id in world.tweets.items()}
    names = {member.discord_id: name for name, member in world.members.items()}
    return {(labels[tweet], names[discord], kind) for tweet, discord, kind, _ in await world.awards()}


async def test_with_no_rule_set_every_crafted_engagement_is_paid(world: BatchWorld, clock: FakeClock) -> None:
    await crafted(world, clock)
    outcome = await run(world)
    assert await paid(world) == ALL_PAID
    assert outcome.tally.awards_refused_by_rule == 0
    assert await refused(world, "t1") == {} == await refused(world, "t2")
    marks = [key async for key in world.store.redis.scan_iter(match=f"{world.store.keys.prefix}:replies:*")]
    assert marks == []  # nothing is remembered for a rule that is off


async def test_each_rule_refuses_its_engagement_and_records_why(world: BatchWorld, clock: FakeClock) -> None:
    await rules(world, min_reply_chars=10, reject_low_effort_replies="true", reject_repeated_replies="true")
    await rules(world, engagement_cooldown_seconds=60)
    await crafted(world, clock)
    outcome = await run(world)
    assert await paid(world) == {("t1", "erin", "reply")}
    assert await refused(world, "t1") == {
        "bob-reply": SHORT_REPLY,
        "carol-reply": LOW_EFFORT_REPLY,
        "dave-reply": LOW_EFFORT_REPLY,
    }
    assert await refused(world, "t2") == {
        "erin-reply": REPEATED_REPLY,
        "bob-reply": COOLDOWN,
        "carol-retweet": COOLDOWN,
    }
    assert outcome.tally.awards_refused_by_rule == 6
    assert outcome.batch_id is not None
    assert (await world.store.get_batch(outcome.batch_id))["awards_refused_by_rule"] == "6"
    assert "6 refused by anti-farming rules" in outcome.summary()
    ttl = await world.store.redis.ttl(world.store.keys.refused(world.tweets["t1"]))
    assert 7 * DAY < ttl <= (167 + 7 * 24) * 3600


async def test_a_short_reply_earns_nothing_a_longer_one_does(world: BatchWorld, clock: FakeClock) -> None:
    await rules(world, min_reply_chars=12)
    for name in ("alice", "bob", "carol"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    world.fake.reply(world.x_id("bob"), t1, "@alice   nice one   https://t.co/x")  # "nice one": 8 characters
    world.fake.reply(world.x_id("carol"), t1, "@alice nice one, agreed")
    await run(world)
    assert await paid(world) == {("t1", "carol", "reply")}
    assert await refused(world, "t1") == {"bob-reply": SHORT_REPLY}


async def test_an_emoji_only_and_a_mentions_only_reply_earn_nothing(world: BatchWorld) -> None:
    await rules(world, reject_low_effort_replies="true")
    for name in ("alice", "bob", "carol", "dave"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    world.fake.reply(world.x_id("bob"), t1, "@alice 💯💯 !!")
    world.fake.reply(world.x_id("carol"), t1, "@alice @bob @dave")
    world.fake.reply(world.x_id("dave"), t1, "@alice ok")
    await run(world)
    assert await paid(world) == {("t1", "dave", "reply")}
    assert await refused(world, "t1") == {"bob-reply": LOW_EFFORT_REPLY, "carol-reply": LOW_EFFORT_REPLY}


async def test_one_good_reply_among_a_members_replies_is_enough(world: BatchWorld) -> None:
    await rules(world, reject_low_effort_replies="true")
    for name in ("alice", "bob"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    world.fake.reply(world.x_id("bob"), t1, "@alice 🔥")
    world.fake.reply(world.x_id("bob"), t1, "@alice this is the way")
    await run(world)
    assert await paid(world) == {("t1", "bob", "reply")}
    assert await refused(world, "t1") == {}


async def test_the_same_text_on_a_second_post_earns_nothing(world: BatchWorld, clock: FakeClock) -> None:
    await rules(world, reject_repeated_replies="true")
    for name in ("alice", "bob"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    world.fake.reply(world.x_id("bob"), t1, "@alice Great post, so true!")
    world.fake.reply(world.x_id("bob"), t1, "@alice great post, so true!")  # the same post again: no matter
    await run(world)
    clock.advance(1800)
    t2 = await world.submit("t2", "alice")
    world.fake.reply(world.x_id("bob"), t2, "@alice @carol GREAT post,   so true! https://t.co/abc")
    clock.advance(60)
    outcome = await run(world)
    assert await paid(world) == {("t1", "bob", "reply")}
    assert await refused(world, "t2") == {"bob-reply": REPEATED_REPLY}
    assert outcome.tally.awards_refused_by_rule == 1
    marks = await world.store.redis.zrange(world.store.keys.reply_marks(world.discord("bob")), 0, -1)
    assert [mark.split(":")[1] for mark in marks] == [t1]  # the fingerprint of the paid reply, never its text
    assert 0 < await world.store.redis.ttl(world.store.keys.reply_marks(world.discord("bob"))) <= 7 * DAY


async def test_the_same_text_a_week_later_earns_again(world: BatchWorld, clock: FakeClock) -> None:
    await rules(world, reject_repeated_replies="true")
    for name in ("alice", "bob"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    world.fake.reply(world.x_id("bob"), t1, "@alice Great post")
    await run(world)
    clock.advance(7 * DAY + 60)
    t2 = await world.submit("t2", "alice")
    world.fake.reply(world.x_id("bob"), t2, "@alice Great post")
    clock.advance(60)
    await run(world)
    assert await paid(world) == {("t1", "bob", "reply"), ("t2", "bob", "reply")}


async def test_the_daily_cap_pays_n_then_nothing_until_the_next_utc_day(world: BatchWorld, clock: FakeClock) -> None:
    await rules(world, daily_award_cap=2)
    for name in ("alice", "bob", "carol"):
        await world.member(name)
    ids = [await world.submit(f"t{n}", "alice") for n in (1, 2, 3)]
    for tweet_id in ids:
        world.fake.reply(world.x_id("bob"), tweet_id, "@alice good one")
    world.fake.reply(world.x_id("carol"), ids[2], "@alice good one")  # carol has her own cap
    first = await run(world)
    assert first.tally.awards == 3
    assert first.tally.awards_refused_by_rule == 1
    assert len([row for row in await paid(world) if row[1] == "bob"]) == 2
    [capped] = [label for label in ("t1", "t2", "t3") if (label, "bob", "reply") not in await paid(world)]
    assert await refused(world, capped) == {"bob-reply": DAILY_CAP}

    clock.advance(1800)  # the same day: still capped
    t4 = await world.submit("t4", "alice")
    world.fake.reply(world.x_id("bob"), t4, "@alice good one")
    clock.advance(10)
    await run(world)
    assert ("t4", "bob", "reply") not in await paid(world)
    assert await refused(world, "t4") == {"bob-reply": DAILY_CAP}

    clock.advance(DAY - clock.now % DAY + 60)  # the next UTC day
    t5 = await world.submit("t5", "alice")
    world.fake.reply(world.x_id("bob"), t5, "@alice good one")
    clock.advance(10)
    await run(world)
    assert ("t5", "bob", "reply") in await paid(world)


async def test_a_manual_adjustment_is_not_an_award_for_the_cap(world: BatchWorld) -> None:
    await rules(world, daily_award_cap=1)
    for name in ("alice", "bob"):
        await world.member(name)
    await world.store.adjust_points(ADMIN, world.discord("bob"), 5, "contest winner")
    t1 = await world.submit("t1", "alice")
    world.fake.reply(world.x_id("bob"), t1, "@alice good one")
    await run(world)
    assert await paid(world) == {("t1", "bob", "reply")}


async def test_the_cool_down_refuses_only_the_first_seconds(world: BatchWorld, clock: FakeClock) -> None:
    await rules(world, engagement_cooldown_seconds=30)
    for name in ("alice", "bob", "carol", "dave", "erin"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    world.fake.reply(world.x_id("bob"), t1, "@alice first!", created_at=at(clock, 3))
    world.fake.reply(world.x_id("carol"), t1, "@alice read it, agreed", created_at=at(clock, 45))
    world.fake.quote(world.x_id("dave"), t1, "so fast", created_at=at(clock, 29))
    clock.advance(31)
    world.fake.retweet(world.x_id("erin"), t1)  # at +31 s: after the cool-down
    clock.advance(60)
    await run(world)
    assert await paid(world) == {("t1", "carol", "reply"), ("t1", "erin", "retweet")}
    assert await refused(world, "t1") == {"bob-reply": COOLDOWN, "dave-quote": COOLDOWN}


async def test_reposts_read_from_the_list_carry_no_time_and_are_paid(world: BatchWorld, clock: FakeClock) -> None:
    await rules(world, engagement_cooldown_seconds=60)
    world.fake.set_limit("search_recent", 0)  # search spent: reposts come from `retweeted_by`, as users
    for name in ("alice", "bob"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    world.fake.retweet(world.x_id("bob"), t1)
    clock.advance(120)
    await world.run()
    assert await paid(world) == {("t1", "bob", "retweet")}


async def test_a_refusal_read_again_is_neither_counted_nor_paid_again(world: BatchWorld, clock: FakeClock) -> None:
    await rules(world, min_reply_chars=10)
    for name in ("alice", "bob"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    world.fake.reply(world.x_id("bob"), t1, "@alice gm")
    await run(world)
    submission = await world.store.submission_for_tweet(t1)
    assert submission is not None
    await world.store.redis.hdel(world.store.keys.tweet(submission.id), "reply_since_id", "reply_searched_at")
    clock.advance(1800)
    again = await run(world)  # the search reads bob's reply again
    assert again.tally.awards_refused_by_rule == 0
    assert await paid(world) == set()
    assert await refused(world, "t1") == {"bob-reply": SHORT_REPLY}


async def award_by_list(world: BatchWorld, label: str, name: str, kind: str) -> BatchTally:
    """What a batch does with an engager read from a list (no post): one award step of a new batch."""
    tally = BatchTally()
    submission = await world.store.submission_for_tweet(world.tweets[label])
    assert submission is not None
    item = TrackedTweet(submission, {}, {kind: 0})
    await Awarder(world.store, default_rules(), "99", tally).award(item, kind, [world.x_id(name)])
    return tally


async def test_a_capped_engagement_read_again_the_next_day_stays_unpaid(world: BatchWorld, clock: FakeClock) -> None:
    await rules(world, daily_award_cap=1)
    for name in ("alice", "bob"):
        await world.member(name)
    await world.submit("t1", "alice")
    await world.submit("t2", "alice")
    assert (await award_by_list(world, "t1", "bob", "retweet")).awards == 1
    assert (await award_by_list(world, "t2", "bob", "retweet")).awards_refused_by_rule == 1
    clock.advance(DAY)  # a final read of t2's reposters the next day finds bob again
    again = await award_by_list(world, "t2", "bob", "retweet")
    assert (again.awards, again.awards_refused_by_rule) == (0, 0)  # refused that day, so for good; counted once
    assert await paid(world) == {("t1", "bob", "retweet")}
    await world.submit("t3", "alice")
    assert (await award_by_list(world, "t3", "bob", "retweet")).awards == 1  # a new day's engagement pays


async def test_a_damaged_refusals_hash_costs_only_that_posts_awards(world: BatchWorld) -> None:
    await rules(world, min_reply_chars=5)
    for name in ("alice", "bob"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    t2 = await world.submit("t2", "alice")
    await world.store.redis.set(world.store.keys.refused(t1), "garbage")
    world.fake.reply(world.x_id("bob"), t1, "@alice a fine reply")
    world.fake.reply(world.x_id("bob"), t2, "@alice a fine reply too")
    before = await dump_keyspace(world.store.redis, world.store.keys.refused(t1))
    outcome = await world.run()
    assert await paid(world) == {("t2", "bob", "reply")}
    assert any(world.store.keys.refused(t1) in error for error in outcome.tally.errors), outcome.tally.errors
    assert await dump_keyspace(world.store.redis, world.store.keys.refused(t1)) == before


async def test_a_damaged_award_log_index_leaves_the_cap_unchecked_and_that_award_unpaid(world: BatchWorld) -> None:
    await rules(world, daily_award_cap=3)
    for name in ("alice", "bob", "carol"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    await world.store.redis.set(world.store.keys.user_logs(world.discord("bob")), "garbage")
    world.fake.reply(world.x_id("bob"), t1, "@alice hi")
    world.fake.reply(world.x_id("carol"), t1, "@alice hi")
    outcome = await world.run()
    assert await paid(world) == {("t1", "carol", "reply")}
    assert any("is not a sorted set" in error for error in outcome.tally.errors), outcome.tally.errors
    assert await refused(world, "t1") == {}


async def test_a_bad_rule_value_edited_into_redis_is_ignored_and_recorded(world: BatchWorld) -> None:
    await world.store.redis.hset(world.store.keys.config(), mapping={"min_reply_chars": "lots"})
    for name in ("alice", "bob"):
        await world.member(name)
    t1 = await world.submit("t1", "alice")
    world.fake.reply(world.x_id("bob"), t1, "@alice gm")
    outcome = await world.run()
    assert await paid(world) == {("t1", "bob", "reply")}
    assert any("anti-farming rule ignored: min_reply_chars" in error for error in outcome.tally.errors)
