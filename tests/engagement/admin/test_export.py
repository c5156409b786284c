from __future__ import annotations

import csv
import io

from engagement.admin import CSV_COLUMNS, adjust_points, leaderboard_csv
from engagement.store import Store
from tests.conftest import FakeClock
from tests.engagement.admin.world import ADMIN, ALICE, BOB, CAROL, HANDLES, TWEET_ID, award, connect, submit

WEEK = 7 * 24 * 3600
OLD_TWEET = "1850000000000000002"


async def _community(store: Store, clock: FakeClock) -> None:
    for member in (ALICE, BOB, CAROL):
        await connect(store, member, tier=3 if member == CAROL else 1)
    await submit(store, ALICE, OLD_TWEET)
    await award(store, OLD_TWEET, CAROL, "retweet", 6, tier=3)  # last week
    clock.advance(WEEK)
    await submit(store, BOB, TWEET_ID)
    await award(store, TWEET_ID, ALICE, "reply", 3)
    await award(store, TWEET_ID, ALICE, "like", 1)
    await award(store, TWEET_ID, CAROL, "reply", 9, tier=3)
    await adjust_points(store, ADMIN, BOB, 2, "helped a newcomer")


def _parse(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [] or tuple(rows[0]) == CSV_COLUMNS
    return rows


async def test_alltime_export(store: Store, clock: FakeClock) -> None:
    await _community(store, clock)
    await store.remember_display_name(BOB, "Bob (when he connected)")
    await store.remember_display_name(ALICE, "old alice")  # the bot's current name wins over a remembered one
    names = {ALICE: "Alice A.", CAROL: '=HYPERLINK("http://evil")'}
    export = await leaderboard_csv(store, ADMIN, False, names)
    assert export.filename == "leaderboard-alltime-2026-11-25.csv"
    assert export.rows == 3
    assert _parse(export.csv_text) == [
        {"rank": "1", "discord_id": CAROL, "display_name": "'=HYPERLINK(\"http://evil\")", "x_handle": HANDLES[CAROL],
         "tier": "3", "points": "15", "like": "0", "retweet": "1", "reply": "1", "quote": "0"},
        {"rank": "2", "discord_id": ALICE, "display_name": "Alice A.", "x_handle": HANDLES[ALICE],
         "tier": "1", "points": "4", "like": "1", "retweet": "0", "reply": "1", "quote": "0"},
        {"rank": "3", "discord_id": BOB, "display_name": "Bob (when he connected)", "x_handle": HANDLES[BOB],
         "tier": "1", "points": "2", "like": "0", "retweet": "0", "reply": "0", "quote": "0"},
    ]  # fmt: skip


async def test_weekly_export_counts_only_this_weeks_awards(store: Store, clock: FakeClock) -> None:
    await _community(store, clock)
    export = await leaderboard_csv(store, ADMIN, True, {})
    assert export.filename == f"leaderboard-weekly-{store.week()}.csv"
    rows = {row["discord_id"]: row for row in _parse(export.csv_text)}
    assert [row["rank"] for row in rows.values()] == ["1", "2", "3"]
    assert (rows[CAROL]["points"], rows[CAROL]["retweet"], rows[CAROL]["reply"]) == ("9", "0", "1")
    assert (rows[ALICE]["points"], rows[ALICE]["like"], rows[ALICE]["reply"]) == ("4", "1", "1")
    assert (rows[BOB]["points"], rows[BOB]["like"]) == ("2", "0")


async def test_empty_board_exports_just_the_header(store: Store) -> None:
    export = await leaderboard_csv(store, ADMIN, True, {})
    assert export.rows == 0
    assert export.csv_text == ",".join(CSV_COLUMNS) + "\n"


async def test_an_export_is_audited_with_its_board_and_rows(store: Store, clock: FakeClock) -> None:
    await _community(store, clock)
    export = await leaderboard_csv(store, ADMIN, True, {})
    assert export.board == f"the weekly board {store.week()}"
    [entry] = [entry for entry in await store.audit_entries(50) if entry["action"] == "leaderboard-export"]
    assert (entry["actor"], entry["target"], entry["new"]) == (ADMIN, export.board, "3 rows")
    assert (await leaderboard_csv(store, ADMIN, False, {})).board == "the all-time board"
