"""The panel's newer pages in a real browser (Debian's chromium): a tweet's details and the list's filters, the rule
preview, the live status of a running batch (htmx under the CSP), times in the viewer's zone, the Overview chart,
Members, Settings, API tokens, the Audit log, the Rules form by keyboard, and the Analytics page's charts."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, expect

from engagement import admin as core
from engagement import shop
from tests.engagement.admin.world import ALICE, BOB, CAROL, X_IDS, submit
from tests.engagement.analytics.posts import tracked_post
from tests.fakes.discord_payloads import GUILD_ID
from tests.web.browser.conftest import TIMEOUT_MS, Snap
from tests.web.browser.panel import ADMIN_ID, AWARDS, OTHER_TWEET, TWEET, Panel, log_in, notice, open_tab

pytestmark = pytest.mark.asyncio(loop_scope="session")
BOB_TWEET = "1860000000000000003"
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _errors_of(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of `page` from now on (a CSP refusal is a console error too)."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # the console says only "Failed to load resource": this names what failed
    page.on(
        "response",
        lambda response: errors.append(f"HTTP {response.status} {response.url}") if response.status >= 400 else None,
    )
    return errors


async def _csp_violations(page: Page) -> list[str]:
    return await page.evaluate("window.__cspViolations")


async def test_tweet_details_from_the_list(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("tweets"))
    await page.get_by_role("link", name=TWEET, exact=True).click()
    await expect(page).to_have_url(live_panel.at(f"tweets/{TWEET}"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Tweet {TWEET}")
    rows = page.get_by_role("row").filter(has_not=page.get_by_role("columnheader"))
    await expect(rows).to_have_count(len(AWARDS))
    for member, (kind, points) in AWARDS.items():
        cells = rows.filter(has=page.get_by_role("cell", name=member, exact=True)).get_by_role("cell")
        await expect(cells.nth(0)).to_have_text(member)
        await expect(cells.nth(1)).to_have_text(X_IDS[member])
        await expect(cells.nth(2)).to_have_text(kind)
        await expect(cells.nth(4)).to_have_text(str(points))
    await expect(page.get_by_role("definition").filter(has_text="@alice")).to_be_visible()
    await snap(page, "tweet-details")


async def test_filter_the_tweets_by_author_and_by_text(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    await submit(live_panel.store, BOB, BOB_TWEET)  # a second author beside Alice's two tweets
    page = admin_page
    await page.goto(live_panel.at("tweets"))
    tweet_rows = page.get_by_role("row").filter(has=page.get_by_role("link", name=re.compile(r"^\d+$")))
    await expect(tweet_rows).to_have_count(3)

    await page.get_by_label("Author").fill("bob")
    await page.get_by_role("button", name="Filter").click()
    await expect(page).to_have_url(re.compile(r"author=bob"))
    await expect(tweet_rows).to_have_count(1)
    await expect(page.get_by_role("row", name=BOB_TWEET)).to_contain_text("@bob")
    await expect(page.get_by_text("1 submitted tweets match")).to_be_visible()
    await snap(page, "tweets-by-author")

    await page.get_by_label("Author").fill("")
    await page.get_by_label("Search").fill(OTHER_TWEET)
    await page.get_by_role("button", name="Filter").click()
    await expect(page).to_have_url(re.compile(rf"q={OTHER_TWEET}"))
    await expect(tweet_rows).to_have_count(1)
    await expect(page.get_by_role("row", name=OTHER_TWEET)).to_contain_text("meme")
    await expect(page.get_by_label("Search")).to_have_value(OTHER_TWEET)  # the form keeps the filter
    await snap(page, "tweets-by-search")

    await page.get_by_label("Search").fill("nobody-here")
    await page.get_by_role("button", name="Filter").click()
    await expect(page.get_by_role("cell", name="No tracked tweets.")).to_be_visible()


async def test_preview_a_rule_then_save_it(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("rules"))
    tier_1 = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(r"^1 ")))
    retweet = tier_1.get_by_role("cell").nth(1)  # tier 1's retweet column
    await expect(page.get_by_role("columnheader").nth(2)).to_have_text("retweet")
    before = await retweet.inner_text()
    await page.get_by_label("Tier").select_option("1")
    await page.get_by_label("Type").select_option("retweet")
    await page.get_by_label("Points (0-1000)").fill("10")
    await page.get_by_role("button", name="Preview").click()

    preview = page.get_by_role("region", name=re.compile("^Preview"))
    await expect(preview).to_contain_text(f"Preview: tier 1 retweet, {before} → 10 points")
    bob_paid = AWARDS[BOB][1]  # the seed's one tier-1 retweet in the window
    await expect(preview).to_contain_text(
        re.compile(rf"1 awards were tier 1 retweets\s+\({bob_paid} points\)\. At 10 points they would have paid 10")
    )
    await expect(preview).to_contain_text(f"(+{10 - bob_paid})")
    await expect(retweet).to_have_text(before)  # the table as it was
    await expect(page.get_by_label("Points (0-1000)")).to_have_value("10")  # the form keeps what was typed
    await snap(page, "rules-preview")
    assert await live_panel.store.rule_overrides() == {}

    await page.goto(live_panel.at("rules"))  # a reload: nothing was saved
    await expect(retweet).to_have_text(before)
    await expect(page.get_by_role("region", name=re.compile("^Preview"))).to_have_count(0)

    await page.get_by_label("Tier").select_option("1")
    await page.get_by_label("Type").select_option("retweet")
    await page.get_by_label("Points (0-1000)").fill("10")
    await page.get_by_role("button", name="Save").click()
    assert await notice(page) == f"Tier 1 retweet: {before} → 10 points, from the next batch."
    await expect(retweet).to_have_text("10*")
    await snap(page, "rules-preview-saved")
    assert await live_panel.store.rule_overrides() == {(1, "retweet"): "10"}


async def test_the_live_batch_status_updates_by_itself(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.add_init_script(CSP_WATCH)
    errors = _errors_of(page)
    store = live_panel.store
    batch_id = await store.start_batch({"started_at": int(store.now()), "worker": "host:2"})
    progress = {"steps_done": 3, "steps_total": 8, "tweets_selected": 42, "awards": 5, "points_awarded": 9}
    await store.update_batch(batch_id, progress)

    await page.goto(live_panel.at("batches"))
    live = page.locator("#batch-live")
    await expect(live).to_contain_text(f"Running now: batch #{batch_id}")
    await expect(live).to_contain_text("step 3 of 8")
    await expect(live).to_contain_text("5 awards so far (+9 points)")
    await expect(page.get_by_role("progressbar", name="Steps done")).to_have_attribute("value", "3")
    await snap(page, "batches-live-running")
    loaded = await page.evaluate("performance.getEntriesByType('navigation').length")

    await store.update_batch(batch_id, {"steps_done": 6, "awards": 11, "points_awarded": 20})
    await expect(live).to_contain_text("step 6 of 8")  # htmx re-read /batches/live (every 2 s while running)
    await expect(live).to_contain_text("11 awards so far (+20 points)")
    await snap(page, "batches-live-progress")

    finished = {"status": "completed", "finished_at": int(store.now()), "steps_done": 8}
    await store.update_batch(batch_id, finished)
    await expect(live).to_have_text("No batch is running.")
    await snap(page, "batches-live-finished")
    # Same document throughout: no reload, no navigation, the fragment was swapped in place.
    assert await page.evaluate("performance.getEntriesByType('navigation').length") == loaded
    assert await page.evaluate("typeof window.htmx") == "object"
    assert await _csp_violations(page) == []
    assert errors == []


async def test_times_show_in_the_viewers_zone(live_panel: Panel, browser: Browser, snap: Snap) -> None:
    context = await browser.new_context(timezone_id="Asia/Tokyo", locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = await context.new_page()
        await log_in(page, live_panel, live_panel.admin)
        await page.goto(live_panel.at("tweets"))
        first = page.locator("time[datetime]").first
        await expect(first).to_have_attribute("data-local", "")  # local-time.js ran
        stamp = await first.get_attribute("datetime")
        assert stamp is not None
        moment = datetime.fromisoformat(stamp)
        tokyo = moment.astimezone(ZoneInfo("Asia/Tokyo"))
        await expect(first).to_have_attribute("title", moment.strftime("%Y-%m-%d %H:%M UTC"))
        await expect(first).to_contain_text("GMT+9")
        await expect(first).to_contain_text(tokyo.strftime("%H:%M"))
        assert tokyo.strftime("%H:%M") != moment.strftime("%H:%M")  # the check tells the zones apart
        await snap(page, "tweets-asia-tokyo")
    finally:
        await context.close()


async def test_the_overview_chart_loads(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    errors = _errors_of(page)
    await page.goto(live_panel.at("overview"))
    chart = page.get_by_role("img", name=re.compile("^Bar chart of points"))
    await expect(chart).to_be_visible()
    await chart.evaluate("image => image.decode()")  # waits for the PNG; rejects if it is broken
    assert await chart.evaluate("image => image.naturalWidth") > 0
    assert await chart.evaluate("image => image.naturalHeight") > 0
    table = page.get_by_role("table", name=re.compile("^The last \\d+ days"))
    await expect(table).to_be_visible()
    day = datetime.fromtimestamp(live_panel.store.now()).astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d")
    points = sum(p for _, p in AWARDS.values())
    await expect(table.get_by_role("row", name=day)).to_have_text(re.compile(rf"{day}\s*{len(AWARDS)}\s*{points}"))
    await snap(page, "overview-chart")
    assert errors == []


async def test_members_set_a_tier_and_adjust_points(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("overview"))
    await open_tab(page, "Members")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    bob = page.get_by_role("row").filter(has=page.get_by_role("cell", name=BOB, exact=True))
    await expect(bob.get_by_role("cell").nth(1)).to_have_text("@bob")
    await expect(bob.get_by_role("cell").nth(2)).to_contain_text("1")
    await snap(page, "members")

    await page.get_by_label(f"Tier of {BOB}").select_option("2")
    await bob.get_by_role("button", name="Set").click()
    assert await notice(page) == f"Member {BOB}: tier 1 → 2."
    await expect(bob.get_by_role("cell").nth(2)).to_contain_text("2")
    await expect(page.get_by_label(f"Tier of {BOB}")).to_have_value("2")

    await page.get_by_label("Member (Discord id)").fill(CAROL)
    await page.get_by_label("Points (negative to remove)").fill("5")
    await page.get_by_label("Reason (required)").fill("meetup host")
    await page.get_by_role("button", name="Adjust").click()
    carol_total = AWARDS[CAROL][1] + 5
    assert await notice(page) == f"Member {CAROL}: +5 points (meetup host); all-time total {carol_total}."
    carol = page.get_by_role("row").filter(has=page.get_by_role("cell", name=CAROL, exact=True))
    await expect(carol.get_by_role("cell").nth(3)).to_have_text(str(carol_total))
    await snap(page, "members-changed")

    await page.get_by_label("Member (Discord id)").fill(CAROL)  # the reason is required: the browser holds it
    await page.get_by_label("Points (negative to remove)").fill("5")
    await page.get_by_label("Reason (required)").fill("")
    await page.get_by_role("button", name="Adjust").click()
    assert await page.get_by_label("Reason (required)").evaluate("field => field.validity.valueMissing")
    _, points = await live_panel.store.rank_and_points(CAROL, weekly=False)
    assert points == carol_total


async def test_settings_change_one_value(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("settings"))
    row = page.get_by_role("row", name=re.compile(r"^daily_limit_tier1\b"))
    await expect(row.get_by_role("cell").nth(1)).to_have_text("environment")
    await snap(page, "settings")
    await page.get_by_label("Setting").select_option("daily_limit_tier1")
    await page.get_by_label("Value").fill("7")
    await page.get_by_role("button", name="Save").click()
    assert re.fullmatch(r"daily_limit_tier1 set to 7 \(was .+\)\.", await notice(page))
    await expect(row.get_by_role("cell").nth(0)).to_have_text("7")
    await expect(row.get_by_role("cell").nth(1)).to_have_text("set by an admin")
    await expect(page.get_by_role("button", name="Reset daily_limit_tier1")).to_be_visible()
    await snap(page, "settings-changed")


async def test_make_an_api_token_and_revoke_it(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("tokens"))
    await expect(page.get_by_text("No tokens yet.")).to_be_visible()
    await page.get_by_label("Name (what it is for)").fill("nightly export")
    await page.get_by_label("Role").select_option("member")
    await page.get_by_role("button", name="Make token").click()
    await expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    secret = await page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("eng_")
    row = page.get_by_role("row", name=re.compile("^nightly export"))
    await expect(row.get_by_role("cell").nth(1)).to_have_text("member")
    await expect(row.get_by_role("cell").nth(2)).to_have_text(ADMIN_ID)
    await snap(page, "tokens-created")

    board = f"{live_panel.url}/api/v1/communities/{GUILD_ID}/leaderboard"
    bearer = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient() as script:  # the shown secret works, without the browser's cookie
        assert (await script.get(board, headers=bearer)).status_code == 200

    await page.goto(live_panel.at("tokens"))  # shown once: a reload no longer has it
    await expect(page.get_by_role("heading", name="Your new token")).to_have_count(0)
    assert secret not in await page.content()
    await page.get_by_role("button", name="Revoke nightly export").click()
    assert await notice(page) == "Token “nightly export” revoked: it is refused from now on."
    await expect(page.get_by_text("No tokens yet.")).to_be_visible()
    await snap(page, "tokens-revoked")
    async with httpx.AsyncClient() as script:
        assert (await script.get(board, headers=bearer)).status_code == 401


async def test_filter_the_audit_log_by_action(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    store = live_panel.store
    await core.set_config(store, ADMIN_ID, "daily_limit_tier1", "7")
    await core.adjust_points(store, ADMIN_ID, CAROL, 2, "bonus")
    await core.set_config(store, ADMIN_ID, "daily_limit_tier2", "9")
    page = admin_page
    await page.goto(live_panel.at("audit"))
    entries = page.get_by_role("row").filter(has_not=page.get_by_role("columnheader"))
    await expect(entries).to_have_count(3)
    await snap(page, "audit")
    await page.get_by_label("Action").select_option("config")
    await page.get_by_role("button", name="Filter").click()
    await expect(page).to_have_url(re.compile(r"action=config"))
    await expect(entries).to_have_count(2)
    await expect(entries.nth(0)).to_contain_text("daily_limit_tier2")  # newest first
    await expect(entries.nth(1)).to_contain_text("daily_limit_tier1")
    for index in range(2):
        await expect(entries.nth(index).get_by_role("cell").nth(2)).to_have_text("config")
    await expect(page.get_by_label("Action")).to_have_value("config")
    await snap(page, "audit-config")

    await page.get_by_label("Actor (Discord id)").fill(ALICE)  # nobody else acted
    await page.get_by_role("button", name="Filter").click()
    await expect(page.get_by_role("cell", name="No entry matches.")).to_be_visible()


async def _focused(page: Page) -> str:
    """The focused element: its id, or for a button its text."""
    return await page.evaluate(
        "() => { const e = document.activeElement; return e.id || (e.tagName + ':' + e.textContent.trim()); }"
    )


async def test_the_rules_form_by_keyboard(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("rules"))
    await page.locator("body").focus()
    reached = []
    for _ in range(40):  # the header and the tabs come first
        await page.keyboard.press("Tab")
        reached.append(await _focused(page))
        if reached[-1] == "tier":
            break
    assert reached[-1] == "tier", reached
    order = ["tier"]
    for _ in range(4):
        await page.keyboard.press("Tab")
        order.append(await _focused(page))
    assert order == ["tier", "type", "points", "BUTTON:Preview", "BUTTON:Save"]
    await page.keyboard.press("Shift+Tab")
    assert await _focused(page) == "BUTTON:Preview"
    await expect(page.get_by_role("button", name="Preview")).to_be_focused()
    await snap(page, "rules-keyboard")


async def test_the_analytics_page_and_its_charts(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    store = live_panel.store
    for days_ago, likes, replies in ((1, 30, 4), (8, 10, 0), (2, 25, 6), (9, 5, 1), (15, 12, 2)):
        await tracked_post(store, store.now() - days_ago * 86_400 + likes, likes, replies=replies)
    page = admin_page
    errors = _errors_of(page)
    await page.goto(live_panel.at("overview"))
    await open_tab(page, "Analytics")
    await page.get_by_label("Period").select_option("30")
    await page.get_by_role("button", name="Show").click()
    await expect(page).to_have_url(re.compile(r"analytics\?days=30$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Analytics: the last 30 days")
    posts = page.get_by_role("definition").first
    await expect(posts).to_have_text("5")
    for name in ("^Bar chart of likes", "^Heat map of the average engagement rate"):
        chart = page.get_by_role("img", name=re.compile(name))
        await expect(chart).to_be_visible()
        await chart.evaluate("image => image.decode()")  # waits for the PNG; rejects if it is broken
        assert await chart.evaluate("image => image.naturalWidth") > 0
        assert await chart.evaluate("image => image.naturalHeight") > 0
    await snap(page, "analytics")
    assert errors == []


async def test_an_admin_lists_a_reward_in_the_shop(live_panel: Panel, admin_page: Page, snap: Snap) -> None:
    page = admin_page
    await page.goto(live_panel.at("overview"))
    await open_tab(page, "Shop")
    await expect(page.get_by_role("cell", name="Nothing is on offer yet.")).to_be_visible()
    await page.get_by_label("Name (1-60 characters)").fill("Hoodie")
    await page.get_by_label("Cost (points, 1-1,000,000)").fill("250")
    await page.get_by_label("Description (optional)").fill("Black, size L")
    await page.get_by_label("Stock (empty: unlimited)").fill("3")
    await page.get_by_role("button", name="List reward").click()
    said = await notice(page)
    assert re.fullmatch(r"Listed Hoodie \(reward #\d+\): 250 points, stock 3 left, no limit per member\.", said)
    row = page.get_by_role("row").filter(has_text="Black, size L")
    await expect(row.get_by_role("cell").nth(1)).to_have_text(re.compile(r"^Hoodie\s*Black, size L$"))
    await expect(row.get_by_role("cell").nth(2)).to_have_text("250")
    await expect(row.get_by_role("cell").nth(3)).to_have_text("3 left")
    await expect(page.get_by_role("button", name="Retire Hoodie")).to_be_visible()
    await snap(page, "shop")
    [reward] = (await shop.shop_page(live_panel.store, ADMIN_ID)).rewards
    assert (reward.name, reward.cost, reward.stock) == ("Hoodie", 250, 3)
