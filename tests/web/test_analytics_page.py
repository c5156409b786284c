"""The Analytics page, its two charts and the weekly report archive (pages and API): figures computed by hand from
posts seeded through the real store, and every refusal a clear error that changes nothing in Redis."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from markupsafe import escape
from PIL import Image

from engagement.admin import set_config
from engagement.analytics import build_report, report_text
from tests.engagement.analytics.posts import at, tracked_post
from tests.web.conftest import HOME, Panel
from tests.web.test_roles import log_in, unchanged_keys

G = f"/c/{HOME}/analytics"
A = f"/api/v1/communities/{HOME}"
DAY = 86_400
REPORT_POST = "2026-11-10 15:00"  # in 2026-W46 (Mon 09 Nov to Sun 15 Nov 2026)


def text_of(page: str) -> str:
    """The page's text: tags dropped, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def two_posts(panel: Panel) -> tuple[str, str]:
    """Yesterday, a minute apart (one time slot): 30 and 10 likes on 1,000 impressions each (3 % and 1 %)."""
    yesterday = panel.store.now() - DAY
    return await tracked_post(panel.store, yesterday, 30), await tracked_post(panel.store, yesterday + 60, 10)


async def saved_report(panel: Panel, week: str) -> str:
    """A real report of `week` from the store, saved as the worker saves it; its JSON."""
    report = await build_report(panel.store, week, panel.services.settings.zone, panel.store.now())
    payload = json.dumps(report, sort_keys=True)
    assert await panel.store.save_report(week, payload)
    return payload


async def test_the_page_shows_the_periods_figures(admin_panel: Panel) -> None:
    panel = admin_panel
    best, weakest = await two_posts(panel)
    answer = await panel.client.get(f"{G}?days=7")
    assert answer.status_code == 200, answer.text
    page = answer.text
    for name, value in (("Posts", "2"), ("Impressions", "2,000"), ("Engagements", "40")):
        assert f"<dt>{name}</dt><dd>{value}</dd>" in page
    assert "<dt>Avg. engagement rate</dt><dd>2.00 %</dd>" in page
    shown = text_of(page)
    assert f"Best {best} 30 1,000 3.00 %" in shown
    assert f"Weakest {weakest} 10 1,000 1.00 %" in shown
    assert f'href="https://x.com/i/status/{best}"' in page
    assert f'href="https://x.com/i/status/{weakest}"' in page
    assert "art 2 40 2,000 2.00 %" in shown  # the category row
    assert "passive" in shown  # likes are all of the engagements
    assert "likes 40 100.0 %" in shown
    assert "Best posting times (UTC) Day Hour Posts Avg. rate Tuesday 11:00 2 2.00 %" in shown
    assert "Engagement rate = (likes + reposts + replies + quotes) / impressions x 100" in page
    assert '<option value="7" selected>' in page


async def test_the_period_chooses_the_posts(admin_panel: Panel) -> None:
    panel = admin_panel
    await two_posts(panel)
    await tracked_post(panel.store, panel.store.now() - 20 * DAY, 50)
    week = await panel.client.get(f"{G}?days=7")
    month = await panel.client.get(f"{G}?days=30")
    assert "<dt>Posts</dt><dd>2</dd>" in week.text
    assert "<dt>Posts</dt><dd>3</dd>" in month.text
    assert "<dt>Engagements</dt><dd>90</dd>" in month.text
    assert "<dt>Avg. engagement rate</dt><dd>3.00 %</dd>" in month.text  # (3 + 1 + 5) / 3
    assert '<option value="30" selected>' in month.text
    assert 'src="/c/1100000000000000001/analytics/mix.png?days=30"' in month.text


async def test_an_empty_community_reads_clearly(admin_panel: Panel) -> None:
    shown = text_of((await admin_panel.client.get(G)).text)
    assert "No post in this period yet." in shown
    assert "No engagement yet in this period." in shown
    assert "Not enough posts yet (a time needs 2 posts in the last 90 days)." in shown


async def test_best_times_in_the_communitys_zone_too(admin_panel: Panel) -> None:
    panel = admin_panel
    await set_config(panel.store, panel.admin.id, "time_zone", "Asia/Tokyo")
    await two_posts(panel)  # Tuesday 11:00 UTC is Tuesday 20:00 in Tokyo
    shown = text_of((await panel.client.get(G)).text)
    assert "Best posting times (UTC) Day Hour Posts Avg. rate Tuesday 11:00 2 2.00 %" in shown
    assert "Best posting times (Asia/Tokyo) Day Hour Posts Avg. rate Tuesday 20:00 2 2.00 %" in shown
    assert "Every time with a post in the last 90 days (Asia/Tokyo)" in shown


@pytest.mark.parametrize(("chart", "size"), [("best-times.png", (1000, 400)), ("mix.png", (800, 320))])
async def test_the_charts_are_pngs_of_the_stated_size(admin_panel: Panel, chart: str, size: tuple[int, int]) -> None:
    await two_posts(admin_panel)
    answer = await admin_panel.client.get(f"{G}/{chart}?days=30")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["cache-control"] == "private, max-age=60"
    image = Image.open(io.BytesIO(answer.content))
    assert (image.format, image.size) == ("PNG", size)
    page = (await admin_panel.client.get(f"{G}?days=30")).text
    assert f'src="{G}/{chart}?days=30" width="{size[0]}" height="{size[1]}"' in page


async def test_the_archive_lists_the_saved_weeks_newest_first(admin_panel: Panel) -> None:
    panel = admin_panel
    empty = text_of((await panel.client.get(f"{G}/reports")).text)
    assert "No weekly report yet: the worker makes one every Monday 09:00 (community time zone)." in empty
    assert str(panel.services.settings.report_archive_path) in empty
    await tracked_post(panel.store, at(REPORT_POST), 20)
    for week in ("2026-W45", "2026-W46"):
        await saved_report(panel, week)
    page = (await panel.client.get(f"{G}/reports")).text
    assert re.findall(r'href="[^"]+/reports/(2026-W\d\d)"', page) == ["2026-W46", "2026-W45"]
    assert "No weekly report yet" not in page
    assert (await panel.client.get(f"{A}/reports")).json() == {"weeks": ["2026-W46", "2026-W45"]}


async def test_a_weeks_page_shows_its_text_and_json(admin_panel: Panel) -> None:
    panel = admin_panel
    tweet = await tracked_post(panel.store, at(REPORT_POST), 20)
    payload = await saved_report(panel, "2026-W46")
    page = await panel.client.get(f"{G}/reports/2026-W46")
    assert page.status_code == 200
    text = report_text(json.loads(payload))
    assert text.startswith("Weekly report 2026-W46 (Mon 09 Nov 2026 to Sun 15 Nov 2026, UTC)")
    assert f"https://x.com/a/status/{tweet} by @a [art]" in text
    assert f"<pre>{escape(text)}</pre>" in page.text
    assert 'href="/c/1100000000000000001/analytics/reports/2026-W46.json"' in page.text
    raw = await panel.client.get(f"{G}/reports/2026-W46.json")
    assert raw.headers["content-type"] == "application/json"
    assert raw.text == payload
    assert (await panel.client.get(f"{A}/reports/2026-W46")).json() == json.loads(payload)


async def test_an_unknown_week_is_a_404(admin_panel: Panel) -> None:
    panel = admin_panel
    for path in (f"{G}/reports/2026-W40", f"{G}/reports/2026-W40.json"):
        missing = await panel.client.get(path)
        assert missing.status_code == 404
        assert "No report for 2026-W40." in missing.text
    problem = await panel.client.get(f"{A}/reports/2026-W40")
    assert problem.status_code == 404
    assert problem.headers["content-type"] == "application/problem+json"
    assert problem.json()["title"] == "No report for 2026-W40."


@pytest.mark.parametrize("days", ["0", "91", "x", "-3", ""])
async def test_a_bad_period_is_refused_and_changes_nothing(admin_panel: Panel, days: str) -> None:
    panel = admin_panel
    await two_posts(panel)
    before = await unchanged_keys(panel)
    for path in ("", "/best-times.png", "/mix.png"):
        refused = await panel.client.get(f"{G}{path}?days={days}")
        assert refused.status_code == 400
        assert "The period must be 1 to 90 days." in refused.text
    assert await unchanged_keys(panel) == before


@pytest.mark.parametrize("week", ["2026-W99", "nope", "2026-48"])
async def test_a_malformed_week_is_refused_and_changes_nothing(admin_panel: Panel, week: str) -> None:
    panel = admin_panel
    before = await unchanged_keys(panel)
    for path in (f"{G}/reports/{week}", f"{G}/reports/{week}.json"):
        refused = await panel.client.get(path)
        assert refused.status_code == 400
        assert "The week must be an ISO week such as 2026-W48" in refused.text
    problem = await panel.client.get(f"{A}/reports/{week}")
    assert problem.status_code == 400
    assert "ISO week" in problem.json()["detail"]
    assert await unchanged_keys(panel) == before


async def test_the_api_gives_the_same_figures(admin_panel: Panel) -> None:
    panel = admin_panel
    best, weakest = await two_posts(panel)
    body = (await panel.client.get(f"{A}/analytics?days=7")).json()
    summary = body["summary"]
    assert (body["days"], body["zone"]) == (7, "UTC")
    assert (summary["posts"], summary["impressions"], summary["engagements"]) == (2, 2000, 40)
    assert summary["average_rate"] == 2.0
    assert (summary["best"]["tweet_id"], summary["worst"]["tweet_id"]) == (best, weakest)
    assert summary["by_category"] == {"art": {"posts": 2, "engagements": 40, "impressions": 2000, "average_rate": 2.0}}
    assert body["community_type"]["type"] == "passive"
    assert body["community_type"]["counts"] == {"likes": 40, "reposts": 0, "replies": 0, "quotes": 0}
    assert body["best_times"]["utc"] == [{"weekday": 1, "hour": 11, "posts": 2, "average_rate": 2.0}]
    refused = await panel.client.get(f"{A}/analytics?days=91")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "The period must be 1 to 90 days."


async def test_only_admins_see_the_tab(panel: Panel) -> None:
    await panel.login(panel.admin)
    assert f'<a href="/c/{HOME}/analytics">Analytics</a>' in (await panel.client.get(f"/c/{HOME}/overview")).text
    await panel.login(panel.member)
    board = (await panel.client.get(f"/c/{HOME}/leaderboard")).text
    assert "/analytics" not in board
    assert (await panel.client.get(G)).status_code == 403


@pytest.mark.parametrize("who", ["member", "core"])
async def test_a_saved_week_is_for_admins_only(panel: Panel, who: str) -> None:
    payload = await saved_report(panel, "2026-W46")
    await log_in(panel, who)
    before = await unchanged_keys(panel)
    for path in (f"{G}/reports/2026-W46", f"{G}/reports/2026-W46.json", f"{A}/reports/2026-W46"):
        refused = await panel.client.get(path)
        assert refused.status_code == 403
        assert payload not in refused.text
    assert await unchanged_keys(panel) == before


async def test_a_community_with_threads_posts_sees_each_platform(admin_panel: Panel) -> None:
    panel = admin_panel
    await two_posts(panel)
    await tracked_post(panel.store, panel.store.now() - DAY, 50, threads=True)
    shown = text_of((await panel.client.get(f"{G}?days=7")).text)
    assert "By platform" in shown
    assert "X 2 40 2,000 2.00 %" in shown
    assert "Threads 1 50 1,000 5.00 % passive" in shown
    assert "likes, reposts and shares count in these figures only" in shown


async def test_a_community_on_x_alone_has_no_platform_table(admin_panel: Panel) -> None:
    await two_posts(admin_panel)
    assert "By platform" not in text_of((await admin_panel.client.get(f"{G}?days=7")).text)


async def test_a_threads_best_post_is_not_linked_as_an_x_post(admin_panel: Panel) -> None:
    panel = admin_panel
    await tracked_post(panel.store, panel.store.now() - DAY, 10)
    ref = await tracked_post(panel.store, panel.store.now() - DAY, 50, threads=True)
    page = (await panel.client.get(f"{G}?days=7")).text
    media_id = ref.removeprefix("threads:")
    assert f"Best Threads post {media_id} 50 1,000 5.00 %" in text_of(page)
    assert f"x.com/i/status/{ref}" not in page
    assert "(on Threads: + shares, over views)" in page


async def test_the_api_gives_each_platforms_figures(admin_panel: Panel) -> None:
    panel = admin_panel
    await two_posts(panel)
    await tracked_post(panel.store, panel.store.now() - DAY, 50, replies=30, threads=True)
    body = (await panel.client.get(f"{A}/analytics?days=7")).json()
    platforms = body["platforms"]
    assert set(platforms) == {"x", "threads"}
    x, threads = platforms["x"], platforms["threads"]
    assert (x["posts"], x["engagements"], x["impressions"], x["average_rate"]) == (2, 40, 2000, 2.0)
    assert (threads["posts"], threads["engagements"], threads["impressions"]) == (1, 80, 1000)
    assert threads["community_type"]["type"] == "conversational"
    assert x["community_type"]["type"] == "passive"
    assert body["summary"]["posts"] == 3
    assert body["summary"]["engagements"] == 120


async def test_the_api_for_a_community_on_x_alone_has_no_platforms(admin_panel: Panel) -> None:
    await two_posts(admin_panel)
    assert (await admin_panel.client.get(f"{A}/analytics?days=7")).json()["platforms"] == {}
