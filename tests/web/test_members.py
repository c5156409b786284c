"""The Members page: the list, a tier change (admin and core, audited) and a point adjustment (admin only,
reason required, audited); every POST needs the CSRF token."""

from __future__ import annotations

from tests.engagement.admin.world import ALICE, BOB
from tests.web.conftest import HOME, Panel
from tests.web.test_roles import add_core, unchanged_keys

G = f"/c/{HOME}"


async def test_the_list_shows_tier_points_and_link_status(panel: Panel) -> None:
    await panel.login(panel.admin)
    page = (await panel.client.get(f"{G}/members")).text
    assert ALICE in page
    assert BOB in page
    assert "@alice" in page
    assert "2 members with a record" in page
    assert "Adjust points" in page


async def test_core_sets_a_tier_audited_but_sees_no_point_adjustment(panel: Panel) -> None:
    await panel.login(await add_core(panel))
    csrf = await panel.csrf()
    assert "Adjust points" not in (await panel.client.get(f"{G}/members")).text
    done = await panel.client.post(f"{G}/members/tier", data={"member": ALICE, "tier": "3", "csrf": csrf})
    assert done.status_code == 303
    assert (await panel.store.get_connection(ALICE)).tier == 3  # type: ignore[union-attr]
    entry = (await panel.store.audit_entries(1))[0]
    assert (entry["actor"], entry["action"], entry["target"], entry["new"]) == (
        "100000000000000015",
        "tier",
        ALICE,
        "3",
    )
    assert "tier 1 → 3" in (await panel.client.get(f"{G}/members")).text


async def test_a_point_adjustment_needs_a_reason_and_is_audited(panel: Panel) -> None:
    await panel.login(panel.admin)
    csrf = await panel.csrf()
    before = await unchanged_keys(panel)
    refused = await panel.client.post(f"{G}/members/points", data={"member": ALICE, "delta": "5", "csrf": csrf})
    assert refused.status_code == 400
    assert "reason is required" in refused.text.lower()
    assert await unchanged_keys(panel) == before
    form = {"member": ALICE, "delta": "-2", "reason": "duplicate", "csrf": csrf}
    assert (await panel.client.post(f"{G}/members/points", data=form)).status_code == 303
    entry = (await panel.store.audit_entries(1))[0]
    assert (entry["actor"], entry["action"], entry["target"]) == (panel.admin.id, "points-adjust", ALICE)
    assert "-2 points (duplicate)" in (await panel.client.get(f"{G}/members")).text


async def test_a_bad_tier_or_delta_is_refused_with_the_core_message(panel: Panel) -> None:
    await panel.login(panel.admin)
    csrf = await panel.csrf()
    before = await unchanged_keys(panel)
    for path, form in (
        ("tier", {"member": ALICE, "tier": "9"}),
        ("tier", {"member": "someone", "tier": "2"}),
        ("points", {"member": ALICE, "delta": "1e3", "reason": "x"}),
        ("points", {"member": ALICE, "delta": "0", "reason": "x"}),
    ):
        answer = await panel.client.post(f"{G}/members/{path}", data={**form, "csrf": csrf})
        assert answer.status_code == 400, (path, form, answer.text)
    assert await unchanged_keys(panel) == before


async def test_each_post_without_the_csrf_token_changes_nothing(panel: Panel) -> None:
    await panel.login(panel.admin)
    before = await unchanged_keys(panel)
    for path, form in (
        ("tier", {"member": ALICE, "tier": "2"}),
        ("points", {"member": ALICE, "delta": "5", "reason": "help"}),
    ):
        for token in ({}, {"csrf": "forged"}):
            answer = await panel.client.post(f"{G}/members/{path}", data={**form, **token})
            assert answer.status_code == 403
            assert "Form refused" in answer.text
    assert await unchanged_keys(panel) == before
