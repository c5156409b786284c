"""The payouts CSV: every member with an address, their all-time points, audited as a member-data export."""

from __future__ import annotations

import csv
import io

from engagement import shop
from engagement.store import Store
from tests.engagement.shop.test_addresses import CHECKSUMMED, TOKEN_PROGRAM
from tests.engagement.shop.world import ADMIN, ALICE, BOB, audits, member_with, reward

CAROL = "333333333333333333"


async def test_the_csv_lists_members_with_an_address_by_points(store: Store) -> None:
    await member_with(store, ALICE, 40)
    await member_with(store, BOB, 90)
    await member_with(store, CAROL, 500)  # no address: not exported
    await store.remember_display_name(ALICE, "=Alice")
    await shop.register_payout_address(store, ALICE, CHECKSUMMED.lower())
    await shop.register_payout_address(store, BOB, TOKEN_PROGRAM)
    await reward(store, cost=30)
    await shop.redeem(store, BOB, "Sticker pack", "1400000000000000001")  # spending leaves the all-time points
    export = await shop.payouts_csv(store, ADMIN, {BOB: "Bobby"})
    rows = list(csv.reader(io.StringIO(export.csv_text)))
    assert rows == [
        ["discord_id", "display_name", "address", "chain", "points"],
        [BOB, "Bobby", TOKEN_PROGRAM, "solana", "90"],
        [ALICE, "'=Alice", CHECKSUMMED, "evm", "40"],
    ]
    assert (export.filename, export.rows) == ("payouts-2026-11-18.csv", 2)
    last = (await audits(store))[-1]
    assert (last["action"], last["actor"], last["target"], last["new"]) == (
        "payouts-export",
        ADMIN,
        "payout addresses",
        "2 rows",
    )


async def test_an_empty_export_still_has_its_header_and_is_audited(store: Store) -> None:
    export = await shop.payouts_csv(store, ADMIN, {})
    assert (export.csv_text, export.rows) == ("discord_id,display_name,address,chain,points\n", 0)
    assert (await audits(store))[-1]["action"] == "payouts-export"
