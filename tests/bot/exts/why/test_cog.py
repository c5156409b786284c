"""/why through the real discord.py against the fake Discord."""

from __future__ import annotations

from engagement.models import Award
from engagement.services import Services
from engagement.store import Store, SubmissionDraft
from sandbox.fake_x import FakeX
from tests.bot.conftest import ALICE, BOB, link
from tests.bot.exts.stats.test_cog import fields_of
from tests.conftest import START
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness

POST = "1850000000000000001"


async def bobs_post(services: Services, store: Store, fake_x: FakeX) -> str:
    bob_x = await link(services, store, fake_x, BOB)
    draft = SubmissionDraft(POST, f"https://x.com/bob/status/{POST}", bob_x, "bob", str(BOB.id), "general")
    await store.create_submission(draft, daily_limit=10)
    return bob_x


async def test_why_names_each_outcome(
    discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX, alice_x: str
) -> None:
    await bobs_post(services, store, fake_x)
    await store.award_engagement(Award(POST, alice_x, str(ALICE.id), "reply", 3, 1, "12"))
    await store.set_next_batch_at(START + 900)
    reply = await discord.slash("why", {"url": f"https://x.com/bob/status/{POST}"}, member=ALICE)
    assert reply.last.ephemeral
    [embed] = reply.last.embeds
    assert embed["title"] == "Points for this post"
    assert embed["description"].startswith(f"[post](https://x.com/i/status/{POST}) · Tracked")
    assert fields_of(embed)["Your engagements"].splitlines() == [
        "**Like**: not counted: X shows who liked a post only to its author, and @bob has not signed in with X",
        f"**Repost**: not seen yet from @alice; the next batch runs <t:{int(START) + 900}:R>",
        f"**Reply**: paid +3 points (batch 12, <t:{int(START)}:R>)",
        f"**Quote**: not seen yet from @alice; the next batch runs <t:{int(START) + 900}:R>",
    ]
    assert "Only engagements from @alice count" in embed["footer"]["text"]


async def test_why_on_a_post_nobody_submitted(discord: DiscordHarness, alice_x: str) -> None:
    [embed] = (await discord.slash("why", {"url": f"https://x.com/bob/status/{POST}"}, member=ALICE)).last.embeds
    assert "Nobody submitted this post" in embed["description"]
    assert fields_of(embed)["Your engagements"].count("not counted: the post is not tracked") == 4


async def test_why_with_a_bad_link_says_so_and_changes_nothing(
    discord: DiscordHarness, keyspace: Keyspace, alice_x: str
) -> None:
    before = await keyspace()
    reply = await discord.slash("why", {"url": "hello"}, member=ALICE)
    assert "link" in reply.last.content.lower()
    assert not reply.last.embeds
    assert await keyspace() == before


async def test_stats_says_what_is_not_counted(
    discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX, alice_x: str
) -> None:
    await bobs_post(services, store, fake_x)
    fields = fields_of((await discord.slash("stats", member=ALICE)).last.embeds[0])
    lines = fields["Not counted, and why"].splitlines()
    assert lines[0] == (
        "Your likes on 1 tracked post (by @bob) are not counted: X shows who liked a post only to its author, "
        "and they have not signed in with X."
    )
    assert lines[-1] == "One post: `/why url` says what counted and why not."
    other = fields_of((await discord.slash("stats", {"member": BOB}, member=ALICE)).last.embeds[0])
    assert "Not counted, and why" not in other  # only the member's own stats explain what did not count
