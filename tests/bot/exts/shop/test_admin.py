"""/shop-admin through the real discord.py against the fake Discord: admins only, decisions, roles, the CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from engagement.store import Store
from tests.bot.conftest import ADMIN_BY_PERMISSION, ADMIN_BY_ROLE, ALICE, BOB
from tests.bot.exts.admin.admin_commands import Role, uploads
from tests.bot.exts.shop.shop_commands import give_points, shop, shop_admin
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.discord_payloads import GUILD_ID

VIP = Role(1100000000000000081, "VIP")
EVERY_COMMAND: list[tuple[str, dict[str, Any]]] = [
    ("add", {"name": "Sticker pack", "cost": 50}),
    ("stock", {"reward": "Hoodie", "stock": 4}),
    ("retire", {"reward": "Hoodie"}),
    ("pending", {}),
    ("fulfil", {"id": 1}),
    ("refuse", {"id": 1, "reason": "no"}),
    ("payouts", {}),
]


async def _one_pending(discord: DiscordHarness, store: Store, role: Role | None = None) -> None:
    """Alice (120 points) redeemed a Hoodie (30 points, stock 2): redemption #1 is pending."""
    await give_points(store, ALICE, 120)
    await shop_admin(discord, "add", {"name": "Hoodie", "cost": 30, "stock": 2, **({"role": role} if role else {})})
    await shop(discord, "redeem", {"reward": "Hoodie"}, member=ALICE)


@pytest.mark.parametrize(("path", "options"), EVERY_COMMAND, ids=[path for path, _ in EVERY_COMMAND])
async def test_a_non_admin_is_refused_changing_nothing_and_it_is_logged(
    discord: DiscordHarness,
    store: Store,
    keyspace: Keyspace,
    alice_x: str,
    caplog: pytest.LogCaptureFixture,
    path: str,
    options: dict[str, Any],
) -> None:
    await _one_pending(discord, store)
    before = await keyspace()
    reply = await shop_admin(discord, path, options, member=BOB)
    assert (reply.last.content, reply.last.ephemeral) == ("This command is for admins only.", True)
    assert await keyspace() == before
    assert f"refused /shop-admin {path} to member {BOB.id}: not an admin" in caplog.text


async def test_synced_hidden_from_non_admins(discord: DiscordHarness) -> None:
    [group] = [c for c in discord.api.synced_commands[str(GUILD_ID)] if c["name"] == "shop-admin"]
    assert int(group["default_member_permissions"]) == 1 << 5  # Manage Server; the run-time check still applies
    assert {option["name"] for option in group["options"]} == {path for path, _ in EVERY_COMMAND}


async def test_an_admin_by_role_lists_a_reward_with_a_role(discord: DiscordHarness, store: Store) -> None:
    reply = await shop_admin(
        discord, "add", {"name": "VIP pass", "cost": 500, "stock": 10, "limit": 1, "role": VIP}, member=ADMIN_BY_ROLE
    )
    assert reply.last.content == (
        f"Listed **VIP pass** (reward #1): 500 points, stock 10 left, 1 per member, grants <@&{VIP.id}>."
    )
    assert await store.redis.hget(store.keys.shop_reward("1"), "role_id") == str(VIP.id)


async def test_everyone_is_no_reward_role_and_a_duplicate_name_is_refused(
    discord: DiscordHarness, keyspace: Keyspace
) -> None:
    await shop_admin(discord, "add", {"name": "Hoodie", "cost": 30})
    before = await keyspace()
    everyone = await shop_admin(discord, "add", {"name": "All", "cost": 1, "role": Role(GUILD_ID, "@everyone")})
    assert everyone.last.content == "@everyone cannot be a reward's role: every member has it already."
    again = await shop_admin(discord, "add", {"name": "hoodie", "cost": 5})
    assert again.last.content == "A reward called **hoodie** is on offer already; pick another name."
    too_long = await shop_admin(discord, "add", {"name": "x" * 61, "cost": 5})
    assert too_long.last.content == "A reward name must be at most 60 characters."
    assert await keyspace() == before


async def test_stock_and_retire(discord: DiscordHarness, store: Store, keyspace: Keyspace) -> None:
    await shop_admin(discord, "add", {"name": "Hoodie", "cost": 30, "stock": 2})
    stock = await shop_admin(discord, "stock", {"reward": "Hoodie", "stock": 7})
    assert stock.last.content == "**Hoodie**: stock 7 left (was 2 left)."
    unlimited = await shop_admin(discord, "stock", {"reward": "#1", "unlimited": True})
    assert unlimited.last.content == "**Hoodie**: stock unlimited (was 7 left)."
    before = await keyspace()
    neither = await shop_admin(discord, "stock", {"reward": "Hoodie"})
    assert neither.last.content == "Give the new stock (0 to 1,000,000), or unlimited:True."
    assert await keyspace() == before
    retired = await shop_admin(discord, "retire", {"reward": "Hoodie"})
    assert retired.last.content.startswith("**Hoodie** is no longer offered")
    assert [e["action"] for e in reversed(await store.audit_entries())] == [
        "reward-add",
        "reward-stock",
        "reward-stock",
        "reward-retire",
    ]


async def test_pending_lists_who_redeemed_what(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    await _one_pending(discord, store)
    [embed] = (await shop_admin(discord, "pending")).last.embeds
    assert embed["title"] == "Pending redemptions"
    assert embed["description"].startswith(f"**#1** Hoodie · 30 points · ⏳ pending · <@{ALICE.id}> · <t:")
    assert embed["footer"]["text"] == "Page 1/1 · 1 redemption"


async def test_fulfilment_grants_the_role(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    await _one_pending(discord, store, VIP)
    reply = await shop_admin(discord, "fulfil", {"id": 1})
    assert reply.last.content == (
        f"Redemption #1 (**Hoodie**, 30 points, by <@{ALICE.id}>) is fulfilled. "
        f"I gave <@{ALICE.id}> the <@&{VIP.id}> role."
    )
    assert discord.api.member_roles[(str(GUILD_ID), str(ALICE.id))] == {str(VIP.id)}
    [put] = [r for r in discord.api.requests if r.method == "PUT" and "/roles/" in r.path]
    assert put.path == f"guilds/{GUILD_ID}/members/{ALICE.id}/roles/{VIP.id}"
    again = await shop_admin(discord, "fulfil", {"id": 1})
    assert again.last.content.startswith("Redemption #1 was fulfilled already (by <@")
    assert len([r for r in discord.api.requests if r.method == "PUT" and "/roles/" in r.path]) == 1


async def test_a_role_discord_refuses_leaves_it_fulfilled_and_says_to_grant_it_by_hand(
    discord: DiscordHarness, store: Store, alice_x: str, caplog: pytest.LogCaptureFixture
) -> None:
    await _one_pending(discord, store, VIP)
    discord.api.fail_next("PUT", r"guilds/\d+/members/\d+/roles/\d+", 403)  # no Manage Roles, or VIP above the bot
    reply = await shop_admin(discord, "fulfil", {"id": 1})
    assert reply.last.content.endswith(
        f"I could not give <@{ALICE.id}> the <@&{VIP.id}> role (I need Manage Roles and my role above it, and they "
        "must still be in the server): please grant it by hand. The redemption stays fulfilled."
    )
    request_id = await store.redis.hget(store.keys.shop_redemptions(), "1")
    assert await store.redis.hget(store.keys.shop_redemption(request_id), "status") == "fulfilled"
    assert "could not grant role" in caplog.text


async def test_refusing_refunds_and_restocks(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    await _one_pending(discord, store)
    reply = await shop_admin(discord, "refuse", {"id": 1, "reason": "out of hoodies"})
    assert reply.last.content == (
        f"Redemption #1 (**Hoodie**, 30 points, by <@{ALICE.id}>) is refused (out of hoodies): the points are back "
        "in their balance and the stock is restored."
    )
    [embed] = (await shop(discord, "list", member=ALICE)).last.embeds
    assert embed["description"].startswith("You have **120 points** to spend")
    assert embed["fields"][0]["value"] == "Stock: 2 left"
    mine = (await shop(discord, "mine", member=ALICE)).last.embeds[0]["description"]
    assert mine.startswith("**#1** Hoodie · 30 points · ❌ refused · <t:")
    assert mine.endswith("(out of hoodies)")
    second = await shop_admin(discord, "refuse", {"id": 1, "reason": "again"})
    assert second.last.content.startswith("Redemption #1 was refused already")


async def test_an_unknown_redemption_is_refused(discord: DiscordHarness, keyspace: Keyspace) -> None:
    before = await keyspace()
    reply = await shop_admin(discord, "fulfil", {"id": 9})
    assert reply.last.content == "There is no redemption #9. `/shop-admin pending` lists those waiting."
    assert await keyspace() == before


@pytest.mark.usefixtures(uploads.__name__)
async def test_payouts_is_a_csv_of_the_addresses(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    await give_points(store, ALICE, 120)
    await shop(discord, "address", {"value": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"}, member=ALICE)
    reply = await shop_admin(discord, "payouts", member=ADMIN_BY_PERMISSION)
    assert reply.last.content == "Exported the payout addresses: 1 row (one per member, most points first)."
    [(name, content)] = reply.last.files.items()
    assert name == "payouts-2026-11-18.csv"
    assert list(csv.reader(io.StringIO(content.decode()))) == [
        ["discord_id", "display_name", "address", "chain", "points"],
        [str(ALICE.id), "alice", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "solana", "120"],
    ]
    [entry] = [e for e in await store.audit_entries() if e["action"] == "payouts-export"]
    assert (entry["actor"], entry["new"]) == (str(ADMIN_BY_PERMISSION.id), "1 row")
