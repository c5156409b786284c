"""The web panel in a real browser (Debian's chromium): log in through the fake Discord's OAuth redirects, open
every page (a screenshot of each), edit a rule, stop tracking a tweet with its points revoked, trigger a batch,
and download the leaderboard as CSV."""

from __future__ import annotations

import csv
import re

import pytest
from playwright.async_api import Locator, Page, expect

from engagement.store import Store
from tests.engagement.admin.world import BOB, CAROL
from tests.fakes.discord_payloads import GUILD_ID
from tests.web.browser.conftest import Snap
from tests.web.browser.panel import (
    ADMIN_ID,
    AWARDS,
    OTHER_TWEET,
    TWEET,
    Panel,
    log_in,
    notice,
    open_tab,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _card(page: Page, title: str) -> Locator:
    """The value of one Overview card."""
    return page.locator("dl.cards > div").filter(has=page.get_by_role("term").filter(has_text=title)).locator("dd")


async def _latest_audit(store: Store) -> dict[str, str]:
    return dict((await store.audit_entries(1))[0])


async def test_admin_logs_in_and_sees_every_page(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await snap(page, "home")
    await page.get_by_role("link", name=f"Server {GUILD_ID}").click()
    await expect(page).to_have_url(live_panel.at("overview"))  # an admin lands on the Overview
    await expect(_card(page, "Connected members")).to_have_text("3")
    await expect(_card(page, "Top score")).to_contain_text(f"{BOB} · 4 points")
    await snap(page, "overview")

    await open_tab(page, "Leaderboard")
    first = page.get_by_role("row").nth(1)
    await expect(first).to_contain_text(BOB)
    await expect(first).to_contain_text("4")
    await snap(page, "leaderboard")

    await open_tab(page, "Tweets")
    await expect(page.get_by_role("row", name=TWEET)).to_contain_text("@alice")
    await expect(page.get_by_role("row", name=OTHER_TWEET)).to_contain_text("meme")
    await snap(page, "tweets")

    await open_tab(page, "Rules")
    await expect(page.get_by_role("row", name="2 Active")).to_have_text(re.compile(r"2 Active\s*2\s*4\s*6\s*4"))
    await snap(page, "rules")

    await open_tab(page, "Batch jobs")
    await page.get_by_role("link", name="#1").click()
    await expect(page.get_by_role("heading", name="Batch #1")).to_be_visible()
    await expect(page.get_by_text("completed")).to_be_visible()
    await snap(page, "batch")
    await page.go_back()
    await snap(page, "batches")


async def test_edit_a_rule_through_the_form(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("rules"))
    await page.get_by_label("Tier").select_option("2")
    await page.get_by_label("Type").select_option("reply")
    await page.get_by_label("Points").fill("11")
    await page.get_by_role("button", name="Save").click()
    assert await notice(page) == "Tier 2 reply: 6 → 11 points, from the next batch."
    await expect(page.get_by_role("row", name="2 Active").get_by_role("cell").nth(2)).to_have_text("11*")
    await snap(page, "rules-edited")
    assert await live_panel.store.rule_overrides() == {(2, "reply"): "11"}
    audit = await _latest_audit(live_panel.store)
    assert (audit["actor"], audit["action"], audit["target"], audit["old"], audit["new"]) == (
        ADMIN_ID,
        "rule",
        "2-reply",
        "6",
        "11",
    )

    await page.get_by_label("Points").fill("1001")  # the browser's own check (max=1000) keeps the form back
    await page.get_by_role("button", name="Save").click()
    assert await page.get_by_label("Points").evaluate("field => field.validity.rangeOverflow")
    assert await live_panel.store.rule_overrides() == {(2, "reply"): "11"}


async def test_delete_a_tweet_and_revoke_its_points(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("tweets"))
    await page.get_by_label("Tweet link or id").fill(f"https://x.com/alice/status/{TWEET}")
    await page.get_by_label("Reason").fill("spam")
    await page.get_by_label("Also take back the points it earned").check()
    await page.get_by_role("button", name="Stop tracking").click()
    points = sum(p for _, p in AWARDS.values())
    assert await notice(page) == f"Tweet {TWEET} is no longer tracked. Revoked {len(AWARDS)} awards ({points} points)."
    await expect(page.get_by_role("row", name=TWEET)).to_have_count(0)
    await expect(page.get_by_role("row", name=OTHER_TWEET)).to_have_count(1)
    await snap(page, "tweets-deleted")
    assert await live_panel.store.submission_for_tweet(TWEET) is None
    for member in AWARDS:
        _, left = await live_panel.store.rank_and_points(member, weekly=False)
        assert left == 0
    audit = await _latest_audit(live_panel.store)
    assert (audit["actor"], audit["action"], audit["target"], audit["reason"]) == (
        ADMIN_ID,
        "tweet-delete",
        TWEET,
        "spam",
    )

    await open_tab(page, "Leaderboard")
    for member in AWARDS:
        await expect(page.get_by_role("row", name=member).get_by_role("cell").last).to_have_text("0")


async def test_trigger_a_batch(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("batches"))
    await page.get_by_role("button", name="Run a batch now").click()
    assert await notice(page) == "Batch requested: the worker starts it within seconds."
    await snap(page, "batches-requested")
    await page.get_by_role("button", name="Run a batch now").click()  # once is enough until the worker takes it
    await expect(page.get_by_role("heading", name="Not done")).to_be_visible()
    await expect(page.get_by_role("alert")).to_contain_text("A batch was already requested")
    assert await live_panel.store.take_batch_requests() == [ADMIN_ID]
    assert (await _latest_audit(live_panel.store))["action"] == "batch-run"


async def test_download_the_leaderboard_csv(live_panel: Panel, admin_page: Page) -> None:
    page = admin_page
    await page.goto(live_panel.at("leaderboard"))
    async with page.expect_download() as info:
        await page.get_by_role("link", name="Download CSV").click()
    download = await info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader((await download.path()).read_text(encoding="utf-8").splitlines()))
    got = [(row["rank"], row["discord_id"], row["x_handle"], row["points"]) for row in rows]
    assert got == [("1", BOB, "bob", "4"), ("2", CAROL, "carol", "3")]
    assert (rows[0]["retweet"], rows[1]["reply"]) == ("1", "1")


async def test_a_member_sees_the_member_pages_only(live_panel: Panel, page: Page, snap: Snap) -> None:
    await log_in(page, live_panel, live_panel.member)
    await page.get_by_role("link", name=f"Server {GUILD_ID}").click()
    await expect(page).to_have_url(live_panel.at("leaderboard"))  # a member lands on the Leaderboard
    tabs = page.get_by_role("navigation", name="Community").get_by_role("link")
    await expect(tabs).to_have_text(["Leaderboard", "Seasons", "Campaigns", "Teams", "Shop"])
    await expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)
    await expect(page.get_by_text("Your standing: #1 with 4 points")).to_be_visible()
    await snap(page, "leaderboard-member")
    response = await page.goto(live_panel.at("rules"))
    assert response is not None
    assert response.status == 403
    await expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


async def test_log_out_ends_the_session(live_panel: Panel, admin_page: Page) -> None:
    page = admin_page
    assert [c["name"] for c in await page.context.cookies()] == ["engagement_session"]
    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("link", name="Log in with Discord")).to_be_visible()
    assert await page.context.cookies() == []
    live_panel.oauth.log_in_as(None)  # no silent login again: Discord would now ask
    response = await page.goto(live_panel.at("overview"))
    assert response is not None
    assert page.url.startswith(live_panel.oauth.base_url)  # sent to log in again
