"""/shop through the real discord.py against the fake Discord: the list, redeeming once, your redemptions, addresses."""

from __future__ import annotations

import pytest

from engagement.store import Store
from tests.bot.conftest import ALICE, BOB
from tests.bot.exts.shop.shop_commands import choices, give_points, shop, shop_admin
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness

CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


async def test_the_list_shows_each_reward_and_the_balance(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    await give_points(store, ALICE, 120)
    await shop_admin(discord, "add", {"name": "Sticker pack", "cost": 50, "stock": 3, "description": "Five stickers"})
    await shop_admin(discord, "add", {"name": "Shout-out", "cost": 10, "limit": 1})
    reply = await shop(discord, "list", member=ALICE)
    assert reply.last.ephemeral
    [embed] = reply.last.embeds
    assert embed["title"] == "Rewards shop"
    assert embed["description"].startswith("You have **120 points** to spend (120 all-time, 0 spent or held).")
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        ("Sticker pack · 50 points", "Five stickers\nStock: 3 left"),
        ("Shout-out · 10 points", "Stock: unlimited · 1 per member (you: 0)"),
    ]
    assert embed["footer"]["text"] == "Page 1/1 · /shop redeem reward:<name> redeems one"


async def test_an_empty_shop_says_so(discord: DiscordHarness) -> None:
    [embed] = (await shop(discord, "list", member=ALICE)).last.embeds
    assert "Nothing is on offer yet." in embed["description"]
    assert "You have **0 points** to spend" in embed["description"]


async def test_a_long_shop_has_pages(discord: DiscordHarness, store: Store, alice_x: str) -> None:
    for n in range(12):
        await shop_admin(discord, "add", {"name": f"Reward {n:02d}", "cost": 5})
    reply = await shop(discord, "list", member=ALICE)
    assert len(reply.last.embeds[0]["fields"]) == 10
    [next_page] = [cid for cid in reply.last.custom_ids if reply.last.button(cid)["label"] == "Next"]
    second = await discord.click(reply.last, next_page, member=ALICE)
    assert [f["name"] for f in second.last.embeds[0]["fields"]] == ["Reward 10 · 5 points", "Reward 11 · 5 points"]


async def test_redeeming_holds_the_points_and_leaves_the_board(
    discord: DiscordHarness, store: Store, alice_x: str
) -> None:
    await give_points(store, ALICE, 120)
    await shop_admin(discord, "add", {"name": "Sticker pack", "cost": 50, "stock": 3})
    reply = await shop(discord, "redeem", {"reward": "sticker pack"}, member=ALICE)
    assert reply.last.ephemeral
    assert reply.last.content == (
        "You redeemed **Sticker pack** for 50 points (redemption #1). You have 70 points left to spend. "
        "An admin fulfils it soon; `/shop mine` shows its status."
    )
    assert await store.redis.zscore(store.keys.leaderboard_alltime(), str(ALICE.id)) == 120
    [embed] = (await shop(discord, "mine", member=ALICE)).last.embeds
    assert embed["title"] == "Your redemptions"
    assert embed["description"].startswith("**#1** Sticker pack · 50 points · ⏳ pending · <t:")


async def test_the_same_interaction_delivered_twice_redeems_once(
    discord: DiscordHarness, store: Store, alice_x: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await give_points(store, ALICE, 120)
    await shop_admin(discord, "add", {"name": "Sticker pack", "cost": 50, "stock": 3})
    plain = discord.api.next_id
    for _ in range(2):  # Discord retrying the delivery: the same interaction id both times
        ids = iter(["1400000000000000555"])
        monkeypatch.setattr(discord.api, "next_id", lambda ids=ids: next(ids, None) or plain())
        reply = await shop(discord, "redeem", {"reward": "Sticker pack"}, member=ALICE)
        assert "redemption #1" in reply.last.content
    assert await store.redis.hgetall(store.keys.shop_spent()) == {str(ALICE.id): "50"}
    assert await store.redis.zcard(store.keys.shop_member(str(ALICE.id))) == 1


async def test_not_enough_points_says_the_balance_and_changes_nothing(
    discord: DiscordHarness, store: Store, keyspace: Keyspace, alice_x: str
) -> None:
    await give_points(store, ALICE, 30)
    await shop_admin(discord, "add", {"name": "Hoodie", "cost": 300, "stock": 1})
    before = await keyspace()
    reply = await shop(discord, "redeem", {"reward": "Hoodie"}, member=ALICE)
    assert reply.last.content == (
        "**Hoodie** costs 300 points and you have 30 points to spend (30 all-time, 0 spent or held), "
        "so nothing was taken."
    )
    assert reply.last.ephemeral
    assert await keyspace() == before


async def test_sold_out_and_unknown_rewards_are_refused_clearly(
    discord: DiscordHarness, store: Store, keyspace: Keyspace, alice_x: str
) -> None:
    await give_points(store, ALICE, 300)
    await shop_admin(discord, "add", {"name": "Hoodie", "cost": 30, "stock": 0})
    before = await keyspace()
    sold_out = await shop(discord, "redeem", {"reward": "Hoodie"}, member=ALICE)
    assert sold_out.last.content == "**Hoodie** is sold out; you still have 300 points to spend, so nothing was taken."
    unknown = await shop(discord, "redeem", {"reward": "Yacht"}, member=ALICE)
    assert unknown.last.content == "No reward on offer is called `Yacht`. `/shop list` shows the rewards."
    assert await keyspace() == before


async def test_reward_names_are_offered_as_you_type(discord: DiscordHarness, store: Store) -> None:
    await shop_admin(discord, "add", {"name": "Sticker pack", "cost": 50})
    await shop_admin(discord, "add", {"name": "Hoodie", "cost": 300})
    assert await choices(discord, "shop", "redeem", "HOO", member=ALICE) == ["Hoodie"]
    assert await choices(discord, "shop-admin", "retire", "", member=BOB) == ["Sticker pack", "Hoodie"]


async def test_an_address_is_registered_checksummed_and_shown(discord: DiscordHarness, store: Store) -> None:
    empty = await shop(discord, "address", member=ALICE)
    assert empty.last.content.startswith("You have no payout address.")
    saved = await shop(discord, "address", {"value": CHECKSUMMED.lower()}, member=ALICE)
    assert saved.last.content.startswith(f"Saved. Your payout address: `{CHECKSUMMED}` (EVM).")
    shown = await shop(discord, "address", member=ALICE)
    assert shown.last.content.startswith(f"Your payout address: `{CHECKSUMMED}` (EVM).")
    assert await store.redis.hget(store.keys.payout_addresses(), str(ALICE.id)) == f"evm:{CHECKSUMMED}"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (CHECKSUMMED.replace("aAeb", "aaeb"), "fails its EIP-55 checksum"),
        ("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5D0", "`0` is not a base58 character"),
        ("Tokenkeg", "A Solana address is 32-44 base58 characters"),
    ],
)
async def test_a_bad_address_is_refused_and_nothing_stored(
    discord: DiscordHarness, keyspace: Keyspace, typed: str, message: str
) -> None:
    before = await keyspace()
    reply = await shop(discord, "address", {"value": typed}, member=ALICE)
    assert message in reply.last.content
    assert reply.last.content.endswith("Nothing was stored.")
    assert await keyspace() == before


async def test_synced_as_a_member_group(discord: DiscordHarness) -> None:
    [group] = [c for c in discord.api.synced_commands[str(discord.guild_id)] if c["name"] == "shop"]
    assert {option["name"] for option in group["options"]} == {"list", "redeem", "mine", "address"}
    assert group.get("default_member_permissions") is None
