"""The Roles page and its API (admin): reward roles and tier promotion rules as the core holds them (seeded through
the core), every form changes what it should and is audited, a member is refused, and every bad input is a clear
message that changes nothing in Redis."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from engagement import role_rewards as core
from engagement.role_rewards import RoleReward
from engagement.role_rewards._rules import MAX_ROLE_REWARDS
from tests.engagement.admin.world import audit_actions
from tests.web.conftest import HOME, Panel
from tests.web.test_roles import log_in, unchanged_keys

G = f"/c/{HOME}"
A = f"/api/v1/communities/{HOME}"
ADMIN = "100000000000000011"  # the panel's Manage Server admin
VIP = "1200000000000000077"
OG = "1200000000000000078"


def text_of(page: str) -> str:
    """The page's text: tags dropped, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def submit_form(panel: Panel, path: str, **form: str) -> Any:
    return await panel.client.post(f"{G}/{path}", data={**form, "csrf": await panel.csrf()})


async def last_audit(panel: Panel) -> tuple[str, str, str, str, str]:
    entry = (await audit_actions(panel.store))[-1]
    return entry["actor"], entry["action"], entry["target"], entry["old"], entry["new"]


async def test_the_page_shows_the_rules_the_core_holds(admin_panel: Panel) -> None:
    panel = admin_panel
    shown = text_of((await panel.client.get(f"{G}/roles")).text)
    assert "No reward roles." in shown
    assert "Tier At all-time points 2 off 3 off" in shown
    await core.add_role_reward(panel.services, ADMIN, VIP, 1500, "alltime", True)
    await core.add_role_reward(panel.services, ADMIN, OG, 40, "season")
    await core.set_tier_rule(panel.services, ADMIN, 3, 2000)
    page = (await panel.client.get(f"{G}/roles")).text
    shown = text_of(page)
    assert f"{VIP} 1,500 points all-time yes" in shown
    assert f"{OG} 40 points the open season no" in shown
    assert "Tier At all-time points 2 off 3 2,000" in shown
    assert f'href="{G}/roles"' in page  # the admin's tab


async def test_an_admin_adds_changes_and_removes_a_reward_role(admin_panel: Panel) -> None:
    panel = admin_panel
    done = await submit_form(panel, "roles", role=VIP, threshold="500", scope="season", revoke="1")
    assert (done.status_code, done.headers["location"]) == (303, f"{G}/roles")
    assert await core.role_rewards(panel.store) == [RoleReward(VIP, 500, "season", True)]
    rule = '{"revoke": true, "scope": "season", "threshold": 500}'
    assert await last_audit(panel) == (ADMIN, "role-reward", VIP, "", rule)
    shown = text_of((await panel.client.get(f"{G}/roles")).text)
    assert f"Role {VIP} is granted at 500 points (season, taken back below it) by the bot, within 5 minutes." in shown
    assert (await submit_form(panel, "roles", role=VIP, threshold="800", scope="alltime")).status_code == 303
    assert await core.role_rewards(panel.store) == [RoleReward(VIP, 800, "alltime", False)]
    assert f"Role {VIP} is granted at 800 points (alltime) by the bot" in text_of(
        (await panel.client.get(f"{G}/roles")).text
    )
    assert (await submit_form(panel, "roles/remove", role=VIP)).status_code == 303
    assert await core.role_rewards(panel.store) == []
    assert await last_audit(panel) == (
        ADMIN, "role-reward", VIP, '{"revoke": false, "scope": "alltime", "threshold": 800}', "",
    )  # fmt: skip
    shown = text_of((await panel.client.get(f"{G}/roles")).text)
    assert f"Role {VIP} is no longer a reward (members keep it)." in shown
    assert "No reward roles." in shown


async def test_an_admin_sets_and_turns_off_a_tier_promotion(admin_panel: Panel) -> None:
    panel = admin_panel
    assert (await submit_form(panel, "roles/tier", level="2", threshold="500")).status_code == 303
    assert await core.tier_rules(panel.store) == {2: 500}
    assert await last_audit(panel) == (ADMIN, "tier-rule", "2", "", "500")
    shown = text_of((await panel.client.get(f"{G}/roles")).text)
    assert "Promotion to tier 2: at 500 all-time points." in shown
    assert "Tier At all-time points 2 500 3 off" in shown
    assert (await submit_form(panel, "roles/tier", level="2", threshold="0")).status_code == 303
    assert await core.tier_rules(panel.store) == {}
    assert await last_audit(panel) == (ADMIN, "tier-rule", "2", "500", "")
    assert "Promotion to tier 2: off." in text_of((await panel.client.get(f"{G}/roles")).text)


@pytest.mark.parametrize(
    ("path", "form", "status", "message"),
    [
        ("roles", {"role": "vip", "threshold": "5", "scope": "alltime"}, 400, "role id must be a positive number"),
        ("roles", {"role": "", "threshold": "5", "scope": "alltime"}, 400, "role id must be a positive number"),
        ("roles", {"role": VIP, "threshold": "0", "scope": "alltime"}, 400, "The threshold is a number of points"),
        ("roles", {"role": VIP, "threshold": "ten", "scope": "alltime"}, 400, "from 1 to 10,000,000."),
        ("roles", {"role": VIP, "threshold": "10000001", "scope": "alltime"}, 400, "from 1 to 10,000,000."),
        (
            "roles",
            {"role": VIP, "threshold": "5", "scope": "weekly"},
            400,
            "The scope is alltime or season, got 'weekly'.",
        ),
        ("roles/remove", {"role": VIP}, 409, "That role is not a reward."),
        ("roles/remove", {"role": "@vip"}, 400, "role id must be a positive number"),
        ("roles/tier", {"level": "1", "threshold": "5"}, 400, "Everyone starts at tier 1"),
        ("roles/tier", {"level": "4", "threshold": "5"}, 400, "tier must be 1, 2 or 3, got '4'"),
        (
            "roles/tier",
            {"level": "2", "threshold": "-1"},
            400,
            "The threshold is a number of points from 1 to 10,000,000.",
        ),
        ("roles/tier", {"level": "2", "threshold": "lots"}, 400, "The threshold is a number of points"),
    ],
)
async def test_a_bad_input_is_a_clear_message_and_changes_nothing(
    admin_panel: Panel, path: str, form: dict[str, str], status: int, message: str
) -> None:
    panel = admin_panel
    await core.add_role_reward(panel.services, ADMIN, OG, 40)
    before = await unchanged_keys(panel)
    refused = await submit_form(panel, path, **form)
    assert refused.status_code == status
    assert message in text_of(refused.text)
    assert await unchanged_keys(panel) == before


async def test_a_26th_reward_role_is_refused(admin_panel: Panel) -> None:
    panel = admin_panel
    for n in range(MAX_ROLE_REWARDS):
        await core.add_role_reward(panel.services, ADMIN, f"13000000000000000{n:02d}", 10 + n)
    before = await unchanged_keys(panel)
    refused = await submit_form(panel, "roles", role=VIP, threshold="5", scope="alltime")
    assert refused.status_code == 409
    assert "This server has 25 role rewards, the most it can have." in text_of(refused.text)
    assert await unchanged_keys(panel) == before
    changed = await submit_form(panel, "roles", role="1300000000000000000", threshold="99", scope="alltime")
    assert changed.status_code == 303  # changing one of the 25 is still fine


@pytest.mark.parametrize(
    ("method", "path", "form"),
    [
        ("GET", "roles", None),
        ("POST", "roles", {"role": VIP, "threshold": "5", "scope": "alltime"}),
        ("POST", "roles/remove", {"role": OG}),
        ("POST", "roles/tier", {"level": "2", "threshold": "5"}),
    ],
)
async def test_a_member_is_refused_and_nothing_changes(
    panel: Panel, method: str, path: str, form: dict[str, str] | None
) -> None:
    await core.add_role_reward(panel.services, ADMIN, OG, 40)
    await log_in(panel, "member")
    before = await unchanged_keys(panel)
    if form is None:
        refused = await panel.client.get(f"{G}/{path}")
    else:
        refused = await submit_form(panel, path, **form)
    assert refused.status_code == 403
    assert await unchanged_keys(panel) == before


async def test_the_api_reads_sets_and_removes_reward_roles(admin_panel: Panel) -> None:
    panel = admin_panel
    headers = {"X-CSRF-Token": await panel.csrf()}
    await core.set_tier_rule(panel.services, ADMIN, 2, 300)
    put = await panel.client.put(f"{A}/roles/{VIP}", json={"threshold": 250, "scope": "season"}, headers=headers)
    assert put.status_code == 200, put.text
    assert put.json() == {"role_id": VIP, "threshold": 250, "scope": "season", "revoke": False}
    assert await last_audit(panel) == (
        ADMIN, "role-reward", VIP, "", '{"revoke": false, "scope": "season", "threshold": 250}',
    )  # fmt: skip
    listed = (await panel.client.get(f"{A}/roles")).json()
    assert listed == {
        "rewards": [{"role_id": VIP, "threshold": 250, "scope": "season", "revoke": False}],
        "tiers": [{"tier": 2, "threshold": 300}],
    }
    before = await unchanged_keys(panel)
    for method, path, body, status, detail in (
        ("PUT", f"roles/{VIP}", {"threshold": 0}, 400, "The threshold is a number of points from 1 to 10,000,000."),
        ("PUT", f"roles/{VIP}", {"threshold": 5, "scope": "weekly"}, 400, "The scope is alltime or season"),
        ("PUT", "roles/vip", {"threshold": 5}, 400, "role id must be a positive number"),
        ("DELETE", f"roles/{OG}", None, 409, "That role is not a reward."),
        ("DELETE", "roles/0", None, 400, "role id must be a positive number"),
    ):
        refused = await panel.client.request(method, f"{A}/{path}", json=body, headers=headers)
        assert refused.status_code == status
        assert refused.headers["content-type"] == "application/problem+json"
        assert detail in refused.json()["detail"]
    assert await unchanged_keys(panel) == before
    removed = await panel.client.delete(f"{A}/roles/{VIP}", headers=headers)
    assert removed.json() == {"role_id": VIP, "removed": True}
    assert await core.role_rewards(panel.store) == []
    assert (await last_audit(panel))[:2] == (ADMIN, "role-reward")


async def test_the_api_refuses_a_member(panel: Panel) -> None:
    await core.add_role_reward(panel.services, ADMIN, OG, 40)
    csrf = await log_in(panel, "member")
    before = await unchanged_keys(panel)
    for method, path, body in (
        ("GET", "roles", None),
        ("PUT", f"roles/{VIP}", {"threshold": 5}),
        ("DELETE", f"roles/{OG}", None),
    ):
        answer = await panel.client.request(method, f"{A}/{path}", json=body, headers={"X-CSRF-Token": csrf})
        assert answer.status_code == 403
    assert await unchanged_keys(panel) == before
