"""Previous / Next in /admin tweets and /admin batches (like /leaderboard), and a category filter naming no
category said as such."""

from __future__ import annotations

from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_ROLE, BOB
from tests.bot.exts.admin.admin_commands import admin, press, refused
from tests.bot.exts.admin.test_admin_batches import finished
from tests.bot.exts.admin.test_admin_tweets import submitted
from tests.conftest import FakeClock
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness, Reply


def footer(reply: Reply) -> str:
    return str(reply.last.embeds[0]["footer"]["text"])


def disabled(reply: Reply) -> dict[str, bool]:
    return {
        reply.last.button(custom_id)["label"]: bool(reply.last.button(custom_id).get("disabled"))
        for custom_id in reply.last.custom_ids
    }


async def test_batches_page_by_buttons(discord: DiscordHarness, store: Store, clock: FakeClock) -> None:
    for _ in range(12):
        await finished(store, clock, "completed")
    first = await admin(discord, "batches", member=ADMIN_BY_ROLE)
    assert footer(first) == "Page 1/2 · 12 batches"
    assert disabled(first) == {"Previous": True, "Next": False}
    second = await press(discord, first, "Next")
    assert footer(second) == "Page 2/2 · 12 batches"
    assert second.last.message_id == first.last.message_id
    assert second.last.embeds[0]["description"].splitlines()[0].startswith("**#2** completed")
    assert disabled(second) == {"Previous": False, "Next": True}
    back = await press(discord, second, "Previous")
    assert footer(back) == "Page 1/2 · 12 batches"
    assert back.last.embeds[0]["description"].startswith("**#12** completed")


async def test_only_the_admin_who_asked_turns_the_pages(
    discord: DiscordHarness, store: Store, clock: FakeClock
) -> None:
    for _ in range(11):
        await finished(store, clock, "completed")
    first = await admin(discord, "batches", member=ADMIN_BY_ROLE)
    other = await press(discord, first, "Next", member=BOB)
    assert other.last.content.startswith("These buttons belong to the member who ran the command")


async def test_one_page_has_no_buttons(discord: DiscordHarness, store: Store, clock: FakeClock) -> None:
    await finished(store, clock, "completed")
    assert not (await admin(discord, "batches", member=ADMIN_BY_ROLE)).last.components


async def test_an_unknown_category_says_so(discord: DiscordHarness, keyspace: Keyspace, alice_x: str) -> None:
    await refused(
        discord,
        keyspace,
        "tweets",
        {"category": "memes"},
        "There is no category `memes`; the categories are general, meme, thread.",
    )


async def test_a_known_category_without_tweets_and_an_old_one_with_tweets(
    discord: DiscordHarness, store: Store, alice_x: str
) -> None:
    empty = await admin(discord, "tweets", {"category": "thread"}, member=ADMIN_BY_ROLE)
    assert empty.last.embeds[0]["description"] == "No submitted tweets."
    await submitted(store, "1850000000000000100", alice_x, "art")  # a category admins removed since
    old = await admin(discord, "tweets", {"category": "art"}, member=ADMIN_BY_ROLE)
    assert "1850000000000000100" in old.last.embeds[0]["description"]
    assert footer(old) == "Page 1/1 · 1 tweet"
