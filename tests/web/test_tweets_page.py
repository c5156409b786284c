"""The Tweets tab: filters by category, author and text; one tweet's details with its engagers and awards; the
live status of a running batch on the Batch jobs tab."""

from __future__ import annotations

import pytest

from tests.engagement.admin.world import ALICE, BOB, CAROL, TWEET_ID, X_IDS, award, connect, submit
from tests.web.conftest import HOME, Panel
from tests.web.test_roles import unchanged_keys

G = f"/c/{HOME}"
OTHER_TWEET = "1850000000000000077"


async def test_the_details_show_each_engager_and_award_then_the_revoke(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    page = (await panel.client.get(f"{G}/tweets/{TWEET_ID}")).text
    assert "@bob" in page
    row = page.split(f"<td>{ALICE}</td>", 1)[1].split("</tr>", 1)[0]
    assert X_IDS[ALICE] in row
    assert "reply" in row
    assert ">3<" in row
    assert "Points paid</dt><dd>3" in page
    form = {"tweet": TWEET_ID, "revoke": "1", "reason": "spam", "csrf": await panel.csrf()}
    assert (await panel.client.post(f"{G}/tweets/delete", data=form)).status_code == 303
    gone = await panel.client.get(f"{G}/tweets/{TWEET_ID}")
    assert gone.status_code == 409
    assert "No submitted tweet" in gone.text
    await submit(panel.store, BOB, TWEET_ID)  # submitted again: its revoked award shows, and pays nothing
    after = (await panel.client.get(f"{G}/tweets/{TWEET_ID}")).text
    assert "<del>3</del> revoked" in after
    assert "Points paid</dt><dd>0" in after


@pytest.mark.parametrize(
    ("ref", "status", "message"),
    [
        ("1850000000000000999", 409, "No submitted tweet has the id 1850000000000000999"),
        ("99999999999999999999", 400, "tweet id must be a positive number of at most 19 digits"),
        ("not-a-tweet", 400, "https://x.com/name/status/1234567890"),
    ],
)
async def test_an_unknown_or_bad_tweet_is_refused_clearly(
    role_admin_panel: Panel, ref: str, status: int, message: str
) -> None:
    before = await unchanged_keys(role_admin_panel)
    answer = await role_admin_panel.client.get(f"{G}/tweets/{ref}")
    assert answer.status_code == status
    assert message in answer.text
    assert await unchanged_keys(role_admin_panel) == before


async def _two_authors(panel: Panel) -> None:
    await connect(panel.store, CAROL)
    await submit(panel.store, CAROL, OTHER_TWEET, category="art")
    await award(panel.store, OTHER_TWEET, ALICE, "like", 1)


async def test_the_author_filter_and_the_search_narrow_the_list(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    await _two_authors(panel)
    everything = (await panel.client.get(f"{G}/tweets")).text
    assert TWEET_ID in everything
    assert OTHER_TWEET in everything
    by_carol = (await panel.client.get(f"{G}/tweets", params={"author": "@Carol"})).text
    assert OTHER_TWEET in by_carol
    assert TWEET_ID not in by_carol
    assert "1 submitted tweets match" in by_carol
    found = (await panel.client.get(f"{G}/tweets", params={"q": "0000077"})).text
    assert OTHER_TWEET in found
    assert TWEET_ID not in found
    nothing = (await panel.client.get(f"{G}/tweets", params={"author": "nobody", "category": "art"})).text
    assert "0 submitted tweets match" in nothing
    assert "No tracked tweets" in nothing


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"author": "no spaces allowed"}, "is not an X username"),
        ({"q": "x" * 65}, "search"),
        ({"category": "Bad Category!"}, "category must be"),
    ],
)
async def test_a_bad_filter_is_refused_with_its_reason(
    role_admin_panel: Panel, params: dict[str, str], message: str
) -> None:
    before = await unchanged_keys(role_admin_panel)
    answer = await role_admin_panel.client.get(f"{G}/tweets", params=params)
    assert answer.status_code == 400
    assert message in answer.text
    assert await unchanged_keys(role_admin_panel) == before


async def test_the_live_status_shows_a_running_batchs_progress(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    assert "No batch is running" in (await panel.client.get(f"{G}/batches/live")).text
    batch_id = await panel.store.start_batch({"started_at": int(panel.store.now())})
    progress = {"steps_done": 3, "steps_total": 8, "tweets_selected": 42, "awards": 5, "points_awarded": 9}
    await panel.store.update_batch(batch_id, progress)
    live = (await panel.client.get(f"{G}/batches/live")).text
    assert f"batch #{batch_id}" in live
    assert "step 3 of 8" in live
    assert "42 tweets selected" in live
    assert "5 awards so far (+9 points)" in live
    assert 'hx-trigger="every 2s"' in live
    assert "step 3 of 8" in (await panel.client.get(f"{G}/batches")).text
    await panel.store.update_batch(batch_id, {"status": "completed", "finished_at": int(panel.store.now())})
    assert "No batch is running" in (await panel.client.get(f"{G}/batches/live")).text


async def test_times_are_time_elements_for_the_viewers_zone(role_admin_panel: Panel) -> None:
    page = (await role_admin_panel.client.get(f"{G}/tweets")).text
    assert '<time datetime="' in page
    assert " UTC</time>" in page
    assert '<script src="/static/local-time.js" defer></script>' in page
    script = await role_admin_panel.client.get("/static/local-time.js")
    assert script.status_code == 200
    assert "Intl.DateTimeFormat" in script.text


async def test_a_rule_preview_reprices_the_windows_awards_and_changes_nothing(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    await _two_authors(panel)  # one tier-1 like (1 point) beside the seed's tier-1 reply (3 points)
    before = await unchanged_keys(panel)
    form = {"tier": "1", "type": "like", "points": "5", "csrf": await panel.csrf()}
    answer = await panel.client.post(f"{G}/rules/preview", data=form)
    assert answer.status_code == 200
    assert "Preview: tier 1 like, 1 → 5 points" in answer.text
    shown = " ".join(answer.text.split("In the last", 1)[1].split())
    assert shown.startswith("24 h, 1 awards were tier 1 likes (1 points). At 5 points they would have paid 5 (+4)")
    assert await unchanged_keys(panel) == before


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"tier": "4", "type": "like", "points": "5"}, "tier"),
        ({"tier": "1", "type": "bookmark", "points": "5"}, "bookmark"),
        ({"tier": "1", "type": "like", "points": "1001"}, "1000"),
        ({"tier": "1", "type": "like", "points": "five"}, "five"),
    ],
)
async def test_a_bad_preview_is_refused_like_a_bad_rule(
    role_admin_panel: Panel, form: dict[str, str], message: str
) -> None:
    before = await unchanged_keys(role_admin_panel)
    answer = await role_admin_panel.client.post(
        f"{G}/rules/preview", data={**form, "csrf": await role_admin_panel.csrf()}
    )
    assert answer.status_code == 400
    assert message in answer.text
    assert await unchanged_keys(role_admin_panel) == before


async def test_the_overview_has_the_daily_chart_and_its_figures_as_a_table(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    batch_id = await panel.store.start_batch({"started_at": int(panel.store.now())})
    await panel.store.update_batch(batch_id, {"status": "completed", "awards": "4", "points_awarded": "11"})
    page = (await panel.client.get(f"{G}/overview")).text
    assert f'<img src="{G}/overview/daily.png"' in page
    assert 'alt="Bar chart of points' in page
    assert "<td>4</td><td>11</td>" in page
    chart = await panel.client.get(f"{G}/overview/daily.png")
    assert chart.status_code == 200
    assert chart.headers["content-type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_the_api_gives_a_tweets_details_and_a_rule_preview(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    api = f"/api/v1/communities/{HOME}"
    details = (await panel.client.get(f"{api}/tweets/{TWEET_ID}")).json()
    assert details["tweet"]["tweet_id"] == TWEET_ID
    assert details["tweet"]["points"] == 3
    [engager] = details["engagers"]
    assert (engager["discord_id"], engager["x_user_id"], engager["type"], engager["points"]) == (
        ALICE,
        X_IDS[ALICE],
        "reply",
        3,
    )
    before = await unchanged_keys(panel)
    preview = (await panel.client.get(f"{api}/rules/1/reply/preview", params={"points": 10})).json()
    assert (preview["old"], preview["new"], preview["awards"], preview["difference"]) == (3, 10, 1, 7)
    assert await unchanged_keys(panel) == before
    bad = await panel.client.get(f"{api}/rules/1/reply/preview", params={"points": 5000})
    assert bad.status_code == 400
    assert "1000" in bad.json()["detail"]
    missing = await panel.client.get(f"{api}/tweets/1850000000000000999")
    assert missing.status_code == 409
    assert "No submitted tweet" in missing.json()["detail"]
