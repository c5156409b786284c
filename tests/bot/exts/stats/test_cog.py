from __future__ import annotations

from engagement.models import Award
from engagement.services import Services
from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.bot.conftest import ALICE, BOB, link
from tests.conftest import START, track
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness

START_SECONDS = int(START)


def fields_of(embed: dict[str, object]) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed["fields"]}  # type: ignore[attr-defined]


async def test_own_stats(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    await track(store, "901", "902")
    for tweet_id, kind, points in (("901", "retweet", 2), ("902", "reply", 3)):
        await store.award_engagement(Award(tweet_id, alice_x, str(ALICE.id), kind, points, 1, "7"))
    reply = await discord.slash("stats", member=ALICE)
    assert reply.deferred
    assert reply.callback_flags == 64
    assert reply.last.ephemeral
    [embed] = reply.last.embeds
    assert embed["title"] == "Stats for alice (@alice)"
    fields = fields_of(embed)
    assert fields["All-time"] == "**5** points · rank **#1**"
    assert fields["This week"] == "**5** points · rank **#1**"
    assert fields["Tier"] == "1 · Basic"
    assert fields["Engagements"] == "0 likes · 1 repost · 1 reply · 0 quotes"
    assert fields["Recent awards"].splitlines() == [
        f"+3 points for a reply on [post](https://x.com/i/status/902) <t:{START_SECONDS}:R>",
        f"+2 points for a repost on [post](https://x.com/i/status/901) <t:{START_SECONDS}:R>",
    ]
    assert (
        "Likes on @alice's posts are not counted: X shows who liked a post only to its author"
        in (embed["footer"]["text"])
    )


async def test_awards_name_their_post_as_a_link(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    post = "1862000000000000002"
    await track(store, post)
    await store.award_engagement(Award(post, alice_x, str(ALICE.id), "quote", 2, 1, "7"))
    [embed] = (await discord.slash("stats", member=ALICE)).last.embeds
    [line] = fields_of(embed)["Recent awards"].splitlines()
    assert f"[post](https://x.com/i/status/{post})" in line
    assert f"tweet {post}" not in line
    assert line.count(post) == 1  # the id appears only inside the link


async def test_an_award_in_a_campaign_shows_its_multiplier(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    await track(store, "905")
    award = Award("905", alice_x, str(ALICE.id), "reply", 5, 1, "7", campaign_ids=("1",), multiplier="1.5")
    await store.award_engagement(award)
    [line] = fields_of((await discord.slash("stats", member=ALICE)).last.embeds[0])["Recent awards"].splitlines()
    assert line.startswith("+5 points (campaign x1.5) for a reply on [post](https://x.com/i/status/905)")


async def test_counts_of_one_are_singular(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    await track(store, "903", "904")
    await store.award_engagement(Award("903", alice_x, str(ALICE.id), "like", 1, 1, "7"))
    await store.award_engagement(Award("904", alice_x, str(ALICE.id), "reply", 0, 1, "7"))
    fields = fields_of((await discord.slash("stats", member=ALICE)).last.embeds[0])
    assert fields["All-time"] == "**1** point · rank **#1**"
    assert fields["Engagements"] == "1 like · 0 reposts · 1 reply · 0 quotes"
    lines = fields["Recent awards"].splitlines()
    assert [line.split(" on ")[0] for line in lines] == ["+0 points for a reply", "+1 point for a like"]
    assert "retweet" not in str(fields)


async def test_someone_elses_stats(
    discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX, alice_x: str
) -> None:
    await link(services, store, fake_x, BOB)
    reply = await discord.slash("stats", {"member": BOB}, member=ALICE)
    [embed] = reply.last.embeds
    assert embed["title"] == "Stats for bob (@bob)"
    assert fields_of(embed)["All-time"] == "No points yet"


async def test_stats_while_not_connected(discord: DiscordHarness, keyspace: Keyspace) -> None:
    before = await keyspace()
    own = await discord.slash("stats", member=ALICE)
    assert "You have not connected an X account yet. Use /connect first." in own.last.content
    assert own.last.ephemeral
    other = await discord.slash("stats", {"member": BOB}, member=ALICE)
    assert f"<@{BOB.id}> has not connected an X account" in other.last.content
    assert await keyspace() == before
