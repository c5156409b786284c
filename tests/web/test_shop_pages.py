"""The Shop and Pending redemptions pages, the payouts CSV and the shop's API: each shows what the core holds (seeded
through the core), every admin form changes what it should and is audited, a member's POST is refused, and every bad
input is a clear message (in plain words, not Discord's markup) that changes nothing in Redis."""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
from typing import Any

import pytest

from engagement import shop
from engagement.shop import Reward
from tests.engagement.admin.world import ALICE, audit_actions
from tests.web.conftest import HOME, Panel
from tests.web.test_roles import log_in, unchanged_keys

G = f"/c/{HOME}"
A = f"/api/v1/communities/{HOME}"
ADMIN = "100000000000000011"  # the panel's Manage Server admin
MEMBER = "100000000000000013"  # the panel's member
VIP = "1200000000000000077"
REQUESTS = itertools.count(1_400_000_000_000_000_001)
EVM = "0x52908400098527886E0F7030069857D2E4169EE7"  # EIP-55's own example


def text_of(page: str) -> str:
    """The page's text: tags dropped, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def listed(panel: Panel, name: str, cost: int, **extra: Any) -> Reward:
    values = {"description": "", "stock": None, "limit": None, "role_id": None, **extra}
    checked = shop.check_reward(name, cost, values["description"], values["stock"], values["limit"], values["role_id"])
    return await shop.add_reward(panel.store, ADMIN, checked)


async def points(panel: Panel, member: str, amount: int) -> None:
    """An admin adjustment: the member (linked) has `amount` more all-time points to spend."""
    if member == MEMBER:
        await panel.store.link_account(MEMBER, "7013", "mia", "bio", "2026-11-18T00:00:00+00:00")
    await panel.store.adjust_points(ADMIN, member, amount, "seed")


async def redeemed(panel: Panel, member: str, reward: str) -> shop.Redemption:
    return (await shop.redeem(panel.store, member, reward, next(REQUESTS))).redemption


async def submit_form(panel: Panel, path: str, **form: str) -> Any:
    return await panel.client.post(f"{G}/{path}", data={**form, "csrf": await panel.csrf()})


async def last_audit(panel: Panel) -> tuple[str, str, str, str]:
    entry = (await audit_actions(panel.store))[-1]
    return entry["actor"], entry["action"], entry["target"], entry["new"]


async def test_a_member_sees_the_rewards_their_balance_and_their_redemptions(panel: Panel) -> None:
    await listed(panel, "Sticker pack", 30, description="Five stickers", stock=4, limit=2)
    await listed(panel, "Hoodie", 80, role_id=VIP)
    await points(panel, MEMBER, 100)
    await redeemed(panel, MEMBER, "Sticker pack")
    await log_in(panel, "member")
    page = (await panel.client.get(f"{G}/shop")).text
    shown = text_of(page)
    assert "You have 70 points to spend (100 all-time, 30 spent or held)." in shown
    assert "1 Sticker pack Five stickers 30 3 left 2 (you: 1) —" in shown
    assert f"2 Hoodie 80 unlimited no limit role {VIP}" in shown
    assert (
        "Your redemptions # Reward Cost Status Requested Reason 1 Sticker pack 30 pending 2026-11-18 11:06 UTC" in shown
    )
    for admin_only in ("List a reward", "Retire", "Pending redemptions", "payouts.csv", "/shop/stock"):
        assert admin_only not in page
    assert f'href="{G}/shop"' in page  # the tab
    assert f'href="{G}/roles"' not in page  # an admin's tab only


async def test_an_empty_shop_reads_clearly(admin_panel: Panel) -> None:
    shown = text_of((await admin_panel.client.get(f"{G}/shop")).text)
    assert "You have 0 points to spend (0 all-time, 0 spent or held)." in shown
    assert "Nothing is on offer yet." in shown
    assert "You have not redeemed anything yet." in shown
    assert "Nothing is waiting." in text_of((await admin_panel.client.get(f"{G}/shop/redemptions")).text)


async def test_the_rewards_and_my_redemptions_page_apart(panel: Panel) -> None:
    for n in range(11):
        await listed(panel, f"Reward {n:02d}", 1)
    await points(panel, MEMBER, 20)
    for n in range(11):
        await redeemed(panel, MEMBER, f"Reward {n:02d}")
    await log_in(panel, "member")
    first = text_of((await panel.client.get(f"{G}/shop")).text)
    assert "Reward 09" in first
    assert "Reward 10" not in first.split("Your redemptions")[0]
    assert "Page 1 of 2" in first
    second = text_of((await panel.client.get(f"{G}/shop?page=2&mine=2")).text)
    rewards, mine = second.split("Your redemptions")
    assert "11 Reward 10 1 unlimited" in rewards
    assert "Reward 09" not in rewards
    assert re.search(r"Reason 1 Reward 00 1 pending", mine)  # newest first: the oldest is alone on page 2
    assert "Page 2 of 2" in mine


async def test_an_admin_lists_a_reward(admin_panel: Panel) -> None:
    panel = admin_panel
    form = {"name": "Hoodie", "cost": "250", "description": "Black, size L", "stock": "3", "limit": "1", "role": VIP}
    done = await submit_form(panel, "shop/rewards", **form)
    assert (done.status_code, done.headers["location"]) == (303, f"{G}/shop")
    [reward] = (await shop.shop_page(panel.store, ADMIN)).rewards
    assert (reward.name, reward.description, reward.cost, reward.stock, reward.limit) == (
        "Hoodie", "Black, size L", 250, 3, 1,
    )  # fmt: skip
    assert reward.role_id == VIP
    summary = f"Hoodie cost=250 stock=3 limit=1 role={VIP}"
    assert await last_audit(panel) == (ADMIN, "reward-add", f"reward {reward.id}", summary)
    page = text_of((await panel.client.get(f"{G}/shop")).text)
    notice = f"Listed Hoodie (reward #{reward.id}): 250 points, stock 3 left, 1 per member, grants role {VIP}."
    assert notice in page
    assert f"{reward.id} Hoodie Black, size L 250 3 left 1 (you: 0) role {VIP}" in page


async def test_an_empty_stock_and_limit_mean_unlimited_and_none(admin_panel: Panel) -> None:
    panel = admin_panel
    assert (await submit_form(panel, "shop/rewards", name="Shout-out", cost="5", stock="", limit="")).status_code == 303
    [reward] = (await shop.shop_page(panel.store, ADMIN)).rewards
    assert (reward.stock, reward.limit, reward.role_id, reward.description) == (None, None, None, "")


async def test_an_admin_changes_the_stock_and_retires_a_reward(admin_panel: Panel) -> None:
    panel = admin_panel
    hoodie = await listed(panel, "Hoodie", 80, stock=2)
    target = f"reward {hoodie.id}"
    assert (await submit_form(panel, "shop/stock", reward=f"#{hoodie.id}", stock="7")).status_code == 303
    assert (await shop.find_reward(panel.store, "Hoodie")).stock == 7
    assert await last_audit(panel) == (ADMIN, "reward-stock", target, "7")
    assert "Hoodie: stock 7 left (was 2 left)." in text_of((await panel.client.get(f"{G}/shop")).text)
    await submit_form(panel, "shop/stock", reward=f"#{hoodie.id}", stock="", unlimited="1")
    assert (await shop.find_reward(panel.store, "Hoodie")).stock is None
    assert await last_audit(panel) == (ADMIN, "reward-stock", target, "unlimited")
    assert "Hoodie: stock unlimited (was 7 left)." in text_of((await panel.client.get(f"{G}/shop")).text)
    assert (await submit_form(panel, "shop/retire", reward=f"#{hoodie.id}")).status_code == 303
    assert (await shop.find_reward(panel.store, f"#{hoodie.id}")).retired
    assert await last_audit(panel) == (ADMIN, "reward-retire", target, "retired")
    page = text_of((await panel.client.get(f"{G}/shop")).text)
    assert "Hoodie is no longer offered; its redemptions stay and can still be decided." in page
    assert "Nothing is on offer yet." in page


async def test_the_pending_redemptions_page_and_pages(admin_panel: Panel) -> None:
    panel = admin_panel
    await listed(panel, "Sticker", 1)
    await listed(panel, "VIP pass", 2, role_id=VIP)
    await points(panel, ALICE, 20)
    vip = await redeemed(panel, ALICE, "VIP pass")
    for _ in range(10):
        await redeemed(panel, ALICE, "Sticker")
    page = (await panel.client.get(f"{G}/shop/redemptions")).text
    shown = text_of(page)
    assert "11 waiting, oldest first." in shown
    assert f"1 VIP pass {ALICE} 2 2026-11-18 11:06 UTC" in shown
    assert (
        f"Redemption #1 grants role {VIP}, and the panel cannot give roles (it has no Discord gateway): grant the role"
        " by hand, or fulfil from Discord with /shop-admin fulfil id:1."
    ) in shown
    assert 'aria-label="Fulfil #1"' not in page  # no panel fulfil for a role reward
    assert 'aria-label="Fulfil #2"' in page
    assert 'aria-label="Refuse #1"' in page  # refusing needs no role change
    assert "Page 1 of 2" in shown
    second = text_of((await panel.client.get(f"{G}/shop/redemptions?page=2")).text)
    assert f"11 Sticker {ALICE} 1" in second
    assert "VIP pass" not in second
    assert vip.number == 1


async def test_an_admin_fulfils_a_redemption(admin_panel: Panel) -> None:
    panel = admin_panel
    await listed(panel, "Sticker", 30, stock=5)
    await points(panel, ALICE, 100)
    first = await redeemed(panel, ALICE, "Sticker")
    done = await submit_form(panel, "shop/fulfil", number=str(first.number))
    assert (done.status_code, done.headers["location"]) == (303, f"{G}/shop/redemptions")
    [mine] = (await shop.my_redemptions(panel.store, ALICE)).redemptions
    assert (mine.status, mine.decided_by) == ("fulfilled", ADMIN)
    assert await last_audit(panel) == (ADMIN, "redemption-fulfil", "redemption 1", "fulfilled")
    assert (await shop.balance(panel.store, ALICE)).available == 103 - 30  # the seed's 3 points, the 100, less 30
    page = text_of((await panel.client.get(f"{G}/shop/redemptions")).text)
    assert f"Redemption #1 (Sticker, 30 points, by {ALICE}) is fulfilled." in page
    assert "Nothing is waiting." in page


async def test_an_admin_refuses_a_redemption_and_it_is_refunded(admin_panel: Panel) -> None:
    panel = admin_panel
    await listed(panel, "VIP pass", 40, stock=1, role_id=VIP)
    await points(panel, ALICE, 50)
    await redeemed(panel, ALICE, "VIP pass")
    assert (await shop.find_reward(panel.store, "VIP pass")).stock == 0
    done = await submit_form(panel, "shop/refuse", number="1", reason="not a member any more")
    assert done.status_code == 303
    assert (await shop.balance(panel.store, ALICE)).available == 53
    assert (await shop.find_reward(panel.store, "VIP pass")).stock == 1
    [mine] = (await shop.my_redemptions(panel.store, ALICE)).redemptions
    assert (mine.status, mine.reason) == ("refused", "not a member any more")
    assert await last_audit(panel) == (ADMIN, "redemption-refuse", "redemption 1", "refused, 40 points refunded")
    page = text_of((await panel.client.get(f"{G}/shop/redemptions")).text)
    assert (
        f"Redemption #1 (VIP pass, 40 points, by {ALICE}) is refused (not a member any more): the points are back in"
        " their balance and the stock is restored."
    ) in page


async def test_a_role_reward_is_not_fulfilled_from_the_panel(admin_panel: Panel) -> None:
    panel = admin_panel
    await listed(panel, "VIP pass", 2, role_id=VIP)
    await points(panel, ALICE, 5)
    await redeemed(panel, ALICE, "VIP pass")
    before = await unchanged_keys(panel)
    refused = await submit_form(panel, "shop/fulfil", number="1")
    assert refused.status_code == 409
    assert (
        f"Redemption #1 grants role {VIP}, and the panel cannot give roles (it has no Discord gateway): grant the role"
        " by hand, or fulfil from Discord with /shop-admin fulfil id:1. Nothing was changed."
    ) in text_of(refused.text)
    assert await unchanged_keys(panel) == before


async def test_the_payouts_csv_is_the_cores_and_audited(admin_panel: Panel) -> None:
    panel = admin_panel
    await shop.register_payout_address(panel.store, ALICE, EVM.lower())
    await points(panel, ALICE, 7)
    answer = await panel.client.get(f"{G}/shop/payouts.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="payouts-2026-11-18.csv"'
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows == [list(shop.PAYOUT_COLUMNS), [ALICE, "", EVM, "evm", "10"]]
    assert await last_audit(panel) == (ADMIN, "payouts-export", "payout addresses", "1 row")
    assert f'href="{G}/shop/payouts.csv"' in (await panel.client.get(f"{G}/shop")).text


REWARD_ERRORS = [
    ({"name": "Cap", "cost": "0"}, 400, "The cost must be a whole number from 1 to 1,000,000; got 0."),
    ({"name": "Cap", "cost": "ten"}, 400, "The cost must be a whole number from 1 to 1,000,000; got ten."),
    ({"name": "Cap", "cost": ""}, 400, "The cost must be a whole number from 1 to 1,000,000"),
    ({"name": "Cap", "cost": "1000001"}, 400, "The cost must be a whole number from 1 to 1,000,000; got 1000001."),
    ({"name": "Cap", "cost": "5", "stock": "-1"}, 400, "The stock must be a whole number from 0 to 1,000,000; got -1."),
    ({"name": "Cap", "cost": "5", "stock": "1.5"}, 400, "The stock must be a whole number from 0 to 1,000,000"),
    ({"name": "Cap", "cost": "5", "limit": "0"}, 400, "The limit per member must be a whole number from 1 to 1,000"),
    ({"name": "", "cost": "5"}, 400, "A reward name is required."),
    ({"name": "42", "cost": "5"}, 400, "A reward name needs a letter: a number alone is read as a reward id."),
    ({"name": "x" * 61, "cost": "5"}, 400, "A reward name must be at most 60 characters."),
    ({"name": "hoodie", "cost": "5"}, 409, "A reward called hoodie is on offer already; pick another name."),
    ({"name": "Cap", "cost": "5", "role": "vip"}, 400, "The role id must be a positive number of at most 20 digits"),
    ({"name": "Cap", "cost": "5", "role": str(HOME)}, 400, "@everyone cannot be a reward's role"),
]
DECISION_ERRORS = [
    ("shop/stock", {"reward": "#1", "stock": "-5"}, 400, "The stock must be a whole number from 0 to 1,000,000"),
    ("shop/stock", {"reward": "#1", "stock": "5", "unlimited": "1"}, 400, "Give either a stock or unlimited"),
    ("shop/stock", {"reward": "#1"}, 400, "Give the new stock (0 to 1,000,000)"),
    ("shop/stock", {"reward": "#99", "stock": "5"}, 409, "No reward on offer is called #99."),
    ("shop/stock", {"reward": "#2", "stock": "5"}, 409, "Old mug is retired, so its stock stays as it is."),
    ("shop/retire", {"reward": "Nope"}, 409, "No reward on offer is called Nope. /shop list shows the rewards."),
    ("shop/retire", {"reward": "#2"}, 409, "Old mug is retired already."),
    ("shop/fulfil", {"number": "99"}, 409, "There is no redemption #99."),
    ("shop/fulfil", {"number": "abc"}, 400, "A redemption number is a whole number from 1"),
    ("shop/fulfil", {"number": "0"}, 400, "A redemption number is a whole number from 1"),
    ("shop/fulfil", {"number": "2"}, 409, f"Redemption #2 was fulfilled already (by {ADMIN} on 2026-11-18 11:06 UTC)"),
    ("shop/refuse", {"number": "1", "reason": ""}, 400, "A reason is required."),
    ("shop/refuse", {"number": "1", "reason": "x" * 201}, 400, "A reason must be at most 200 characters."),
    ("shop/refuse", {"number": "99", "reason": "no"}, 409, "There is no redemption #99."),
    ("shop/refuse", {"number": "2", "reason": "no"}, 409, "Redemption #2 was fulfilled already"),
]


async def _shop_with_history(panel: Panel) -> None:
    """Hoodie (#1, on offer), Old mug (#2, retired); Alice's redemption #1 pending, #2 fulfilled."""
    await listed(panel, "Hoodie", 10, stock=3)
    await listed(panel, "Old mug", 10)
    await points(panel, ALICE, 50)
    await redeemed(panel, ALICE, "Hoodie")
    second = await redeemed(panel, ALICE, "Old mug")
    await shop.fulfil(panel.store, ADMIN, second.number)
    await shop.retire_reward(panel.store, ADMIN, "Old mug")


@pytest.mark.parametrize(
    ("path", "form", "status", "message"),
    [("shop/rewards", form, status, message) for form, status, message in REWARD_ERRORS] + DECISION_ERRORS,
)
async def test_a_bad_input_is_a_clear_message_and_changes_nothing(
    admin_panel: Panel, path: str, form: dict[str, str], status: int, message: str
) -> None:
    panel = admin_panel
    await _shop_with_history(panel)
    before = await unchanged_keys(panel)
    refused = await submit_form(panel, path, **form)
    assert refused.status_code == status
    shown = text_of(refused.text)
    assert message in shown
    assert not re.search(r"\*\*|<@|<t:|`", shown)  # Discord's markup, which a page does not render
    assert await unchanged_keys(panel) == before


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("shop/rewards", {"name": "Cap", "cost": "5"}),
        ("shop/stock", {"reward": "#1", "stock": "9"}),
        ("shop/retire", {"reward": "#1"}),
        ("shop/fulfil", {"number": "1"}),
        ("shop/refuse", {"number": "1", "reason": "no"}),
    ],
)
async def test_a_members_post_is_refused_and_changes_nothing(panel: Panel, path: str, form: dict[str, str]) -> None:
    await _shop_with_history(panel)
    await log_in(panel, "member")
    before = await unchanged_keys(panel)
    refused = await submit_form(panel, path, **form)
    assert refused.status_code == 403
    assert await unchanged_keys(panel) == before


@pytest.mark.parametrize("path", ["shop/redemptions", "shop/payouts.csv"])
async def test_a_member_cannot_open_the_admin_pages(panel: Panel, path: str) -> None:
    await shop.register_payout_address(panel.store, ALICE, EVM)
    await log_in(panel, "member")
    before = await unchanged_keys(panel)
    assert (await panel.client.get(f"{G}/{path}")).status_code == 403
    assert await unchanged_keys(panel) == before  # no payouts-export entry either


async def test_the_api_lists_the_rewards_and_the_pending_redemptions(admin_panel: Panel) -> None:
    panel = admin_panel
    sticker = await listed(panel, "Sticker", 2, stock=30, limit=20, description="Round")
    await listed(panel, "VIP pass", 3, role_id=VIP)
    await points(panel, ALICE, 40)
    for _ in range(11):
        await redeemed(panel, ALICE, "Sticker")
    answer = (await panel.client.get(f"{A}/shop/rewards")).json()
    assert answer["rewards"][0] == {
        "id": sticker.id, "name": "Sticker", "description": "Round", "cost": 2, "stock": 19, "limit": 20,
        "role_id": None,
    }  # fmt: skip
    assert answer["rewards"][1]["role_id"] == VIP
    assert (answer["page"], answer["pages"], answer["total"], answer["next_cursor"]) == (1, 1, 2, None)
    assert answer["balance"] == {"points": 0, "spent": 0, "available": 0}  # the caller's (the admin's) balance
    assert answer["claims"] == {sticker.id: 0}
    first = (await panel.client.get(f"{A}/shop/redemptions")).json()
    assert [r["number"] for r in first["redemptions"]] == list(range(1, 11))
    assert first["redemptions"][0] == {
        "number": 1, "reward_id": sticker.id, "reward_name": "Sticker", "discord_id": ALICE, "cost": 2,
        "status": "pending", "requested_at": 1_795_000_000.0, "role_id": None, "decided_at": None,
        "decided_by": None, "reason": "",
    }  # fmt: skip
    assert (first["total"], first["pages"]) == (11, 2)
    second = (await panel.client.get(f"{A}/shop/redemptions?cursor={first['next_cursor']}")).json()
    assert ([r["number"] for r in second["redemptions"]], second["next_cursor"]) == ([11], None)
    bad = await panel.client.get(f"{A}/shop/redemptions?cursor=nope")
    assert (bad.status_code, bad.json()["title"]) == (400, "Bad cursor")
    other_list = (await panel.client.get(f"{A}/shop/rewards?cursor={first['next_cursor']}")).status_code
    assert other_list == 400  # a cursor of another list


async def test_the_api_refuses_a_redemption_and_refusals_change_nothing(admin_panel: Panel) -> None:
    panel = admin_panel
    await _shop_with_history(panel)
    headers = {"X-CSRF-Token": await panel.csrf()}

    async def refuse(number: object, reason: str) -> Any:
        return await panel.client.post(
            f"{A}/shop/redemptions/{number}/refuse", json={"reason": reason}, headers=headers
        )

    done = await refuse(1, "out of hoodies")
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["reason"], done.json()["decided_by"]) == (
        "refused",
        "out of hoodies",
        ADMIN,
    )
    assert await last_audit(panel) == (ADMIN, "redemption-refuse", "redemption 1", "refused, 10 points refunded")
    before = await unchanged_keys(panel)
    for number, reason, status, detail in (
        (1, "again", 409, f"Redemption #1 was refused already (by {ADMIN} on 2026-11-18 11:06 UTC)"),
        (99, "no", 409, "There is no redemption #99."),
        (0, "no", 400, "A redemption number is a whole number from 1"),
        (2, "", 400, "A reason is required."),
    ):
        refused = await refuse(number, reason)
        assert refused.status_code == status
        assert refused.headers["content-type"] == "application/problem+json"
        assert detail in refused.json()["detail"]
    assert await unchanged_keys(panel) == before
    await log_in(panel, "member")
    member_headers = {"X-CSRF-Token": await panel.csrf()}
    for method, path in (("GET", "shop/redemptions"), ("POST", "shop/redemptions/1/refuse")):
        answer = await panel.client.request(method, f"{A}/{path}", json={"reason": "x"}, headers=member_headers)
        assert answer.status_code == 403
    assert (await panel.client.get(f"{A}/shop/rewards")).status_code == 200
    assert await unchanged_keys(panel) == before
