"""/admin leaderboard-export: a CSV attachment, parsed back and compared with the store."""

from __future__ import annotations

import csv
import io

import pytest

from engagement.admin import CSV_COLUMNS
from engagement.models import Award
from engagement.services import Services
from engagement.store import Store, SubmissionDraft
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_ROLE, ALICE, BOB, link
from tests.bot.exts.admin.admin_commands import admin, refused, uploads
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness

__all__ = ["uploads"]  # the fixture, used by name
TWEET = "1850000000000000001"


@pytest.fixture
async def board(services: Services, store: Store, fake_x: FakeX, alice_x: str) -> None:
    bob_x = await link(services, store, fake_x, BOB)
    await store.set_tier(str(ADMIN_BY_ROLE.id), str(BOB.id), 2)
    draft = SubmissionDraft(TWEET, f"https://x.com/alice/status/{TWEET}", alice_x, "alice", str(ALICE.id), "general")
    await store.create_submission(draft, daily_limit=10)
    await store.award_engagement(Award(TWEET, bob_x, str(BOB.id), "retweet", 4, 2, "1"))
    await store.award_engagement(Award(TWEET, bob_x, str(BOB.id), "reply", 6, 2, "1"))
    await store.adjust_points(str(ADMIN_BY_ROLE.id), str(ALICE.id), 3, "first post")


@pytest.mark.parametrize("board_name", ["alltime", "weekly"])
async def test_export_is_a_csv_of_the_board(
    discord: DiscordHarness, board: None, uploads: list[tuple[str, bytes]], store: Store, board_name: str
) -> None:
    reply = await admin(discord, "leaderboard-export", {"board": board_name}, member=ADMIN_BY_ROLE)
    assert reply.deferred
    week = store.week()
    shown = f"the weekly board {week}" if board_name == "weekly" else "the all-time board"
    assert reply.last.content == f"Exported {shown}: 2 rows (one per member)."
    assert reply.last.ephemeral
    [(filename, content)] = uploads
    assert filename == (
        f"leaderboard-weekly-{week}.csv" if board_name == "weekly" else "leaderboard-alltime-2026-11-18.csv"
    )
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows == [
        list(CSV_COLUMNS),
        ["1", str(BOB.id), "", "bob", "2", "10", "0", "1", "1", "0"],
        ["2", str(ALICE.id), "", "alice", "1", "3", "0", "0", "0", "0"],
    ]


async def test_unknown_board_is_refused(
    discord: DiscordHarness, keyspace: Keyspace, uploads: list[tuple[str, bytes]]
) -> None:
    message = "Board must be one of alltime, weekly, got 'monthly'."
    await refused(discord, keyspace, "leaderboard-export", {"board": "monthly"}, message)
    assert uploads == []


async def test_the_name_a_member_last_connected_with_is_exported(
    discord: DiscordHarness, board: None, uploads: list[tuple[str, bytes]]
) -> None:
    await discord.slash("connect", {"handle": "bob"}, member=BOB)  # the bot sees him as "bob" and keeps that
    await admin(discord, "leaderboard-export", {}, member=ADMIN_BY_ROLE)
    [(_, content)] = uploads
    rows = {row[1]: row for row in csv.reader(io.StringIO(content.decode()))}
    assert (rows[str(BOB.id)][2], rows[str(ALICE.id)][2]) == ("bob", "")
