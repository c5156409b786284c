from __future__ import annotations

import asyncio

import pytest

from engagement.models import Award
from engagement.store import Store
from tests.bot.conftest import ALICE, BOB
from tests.conftest import track
from tests.fakes.discord_api import SentMessage
from tests.fakes.discord_harness import DiscordHarness, Member, Reply

UPDATE_MESSAGE = 7


def member_id(n: int) -> str:
    return str(700000000000000000 + n)


async def fill_board(store: Store, count: int) -> None:
    """`count` members; member n has n points. Alice has 5 points, so she ranks count - 4 (ties aside)."""
    await track(store, "9001", "9002")
    for n in range(1, count + 1):
        await store.link_account(member_id(n), str(8000 + n), f"m{n}", "bio", "2026-11-18T00:00:00+00:00")
        await store.award_engagement(Award("9001", str(8000 + n), member_id(n), "reply", n, 1, "1"))
    await store.link_account(str(ALICE.id), "8999", "alice", "bio", "2026-11-18T00:00:00+00:00")
    await store.award_engagement(Award("9002", "8999", str(ALICE.id), "reply", 5, 1, "1"))


def ranks(message: SentMessage) -> list[str]:
    return [line.split()[0] for line in message.embeds[0]["description"].splitlines()]


def buttons(message: SentMessage) -> dict[str, bool]:
    """Button label -> disabled."""
    return {item["label"]: item.get("disabled", False) for row in message.components for item in row["components"]}


def button_id(message: SentMessage, label: str) -> str:
    return next(item["custom_id"] for row in message.components for item in row["components"] if item["label"] == label)


async def press(discord: DiscordHarness, shown: Reply, label: str, member: Member = ALICE) -> Reply:
    return await discord.click(shown.last, button_id(shown.last, label), member=member)


async def test_pages_with_buttons(discord: DiscordHarness, store: Store) -> None:
    await fill_board(store, 23)
    first = await discord.slash("leaderboard", member=ALICE)
    assert first.callback_type == 4
    assert not first.last.ephemeral
    assert first.last.embeds[0]["title"] == "All-time leaderboard"
    assert ranks(first.last) == [f"**#{n}**" for n in range(1, 11)]
    assert first.last.embeds[0]["description"].splitlines()[0] == f"**#1** <@{member_id(23)}> (@m23) · 23 points"
    assert first.last.embeds[0]["footer"]["text"].startswith("Page 1/3 · Your rank: #")
    assert buttons(first.last) == {"Previous": True, "Next": False}
    second = await press(discord, first, "Next")
    assert second.callback_type == UPDATE_MESSAGE
    assert second.last.message_id == first.last.message_id
    assert ranks(second.last) == [f"**#{n}**" for n in range(11, 21)]
    third = await press(discord, second, "Next")
    assert len(ranks(third.last)) == 4
    assert buttons(third.last) == {"Previous": False, "Next": True}
    back = await press(discord, third, "Previous")
    assert back.last.embeds[0]["footer"]["text"].startswith("Page 2/3")


async def test_only_the_invoker_can_page(discord: DiscordHarness, store: Store) -> None:
    await fill_board(store, 15)
    shown = await discord.slash("leaderboard", member=ALICE)
    reply = await press(discord, shown, "Next", member=BOB)
    assert reply.callback_type == 4
    assert reply.last.ephemeral
    assert "belong to the member who ran the command" in reply.last.content
    assert discord.api.messages[shown.last.message_id]["embeds"][0]["footer"]["text"].startswith("Page 1/2")


async def test_weekly_board_and_a_single_page(discord: DiscordHarness, store: Store) -> None:
    await fill_board(store, 3)
    shown = await discord.slash("leaderboard", {"board": "weekly"}, member=ALICE)
    embed = shown.last.embeds[0]
    assert embed["title"].startswith("Weekly leaderboard · ")
    assert embed["footer"]["text"] == "Page 1/1 · Your rank: #1 with 5 points"
    assert shown.last.components == []


async def test_empty_board(discord: DiscordHarness) -> None:
    shown = await discord.slash("leaderboard", member=BOB)
    assert "No points yet" in shown.last.embeds[0]["description"]
    assert shown.last.embeds[0]["footer"]["text"] == "Page 1/1 · You are not on this board yet"


async def test_board_outside_the_choices_is_refused(discord: DiscordHarness) -> None:
    reply = await discord.slash("leaderboard", {"board": "monthly"}, member=ALICE)
    assert "Board must be one of alltime, weekly" in reply.last.content
    assert reply.last.ephemeral


@pytest.fixture
def view_timeout() -> float:
    return 0.05


async def test_buttons_grey_out_when_the_view_times_out(discord: DiscordHarness, store: Store) -> None:
    await fill_board(store, 15)
    shown = await discord.slash("leaderboard", member=ALICE)
    edits = [message for _, message in discord.api.sent if message.kind == "edit"]
    for _ in range(100):
        if edits:
            break
        await asyncio.sleep(0.01)
        edits = [message for _, message in discord.api.sent if message.kind == "edit"]
    [edit] = edits
    assert edit.message_id == shown.last.message_id
    assert buttons(edit) == {"Previous": True, "Next": True}


async def test_one_point_is_singular(discord: DiscordHarness, store: Store) -> None:
    await track(store, "9003")
    await store.link_account(str(ALICE.id), "8999", "alice", "bio", "2026-11-18T00:00:00+00:00")
    await store.award_engagement(Award("9003", "8999", str(ALICE.id), "like", 1, 1, "1"))
    [embed] = (await discord.slash("leaderboard", member=ALICE)).last.embeds
    assert embed["description"] == f"**#1** <@{ALICE.id}> (@alice) · 1 point"
    assert embed["footer"]["text"] == "Page 1/1 · Your rank: #1 with 1 point"
