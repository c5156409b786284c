"""The Seasons, Teams and Campaigns pages and their API: each shows what the core holds (seeded through the core),
every admin form changes what it should and is audited, a member's POST is refused, and every bad input is a clear
message that changes nothing in Redis."""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
from typing import Any

import pytest

from engagement import seasons as core
from engagement.admin import set_config
from engagement.models import Award
from engagement.store import AWARDED
from tests.engagement.admin.world import ALICE, BOB, TWEET_ID, X_IDS, audit_actions, submit
from tests.web.conftest import HOME, Panel
from tests.web.test_roles import log_in, unchanged_keys

G = f"/c/{HOME}"
A = f"/api/v1/communities/{HOME}"
ADMIN = "100000000000000011"  # the panel's Manage Server admin
POST_URL = f"https://x.com/bob/status/{TWEET_ID}"  # the seed's submitted post
POSTS = itertools.count(1)


def text_of(page: str) -> str:
    """The page's text: tags dropped, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def pay(panel: Panel, member: str, points: int, *, season: str = "", campaign: str = "", x_id: str = "") -> None:
    """A reply on a post of its own (paid once per post, member and type), counted in a season and a campaign as
    the batch counts it."""
    campaigns = (campaign,) if campaign else ()
    post = f"186{next(POSTS):016d}"
    await submit(panel.store, BOB, post)
    award = Award(
        post, x_id or X_IDS[member], member, "reply", points, 1, "1", season_id=season, campaign_ids=campaigns
    )
    assert await panel.store.award_engagement(award) == AWARDED


async def submit_form(panel: Panel, path: str, **form: str) -> Any:
    return await panel.client.post(f"{G}/{path}", data={**form, "csrf": await panel.csrf()})


async def last_audit(panel: Panel) -> tuple[str, str, str]:
    entry = (await audit_actions(panel.store))[-1]
    return entry["actor"], entry["action"], entry["new"]


async def test_every_season_with_its_dates_and_reward_zone(panel: Panel) -> None:
    done = await core.open_season(panel.services, ADMIN, "Autumn", "now", "2026-11-25", 2)
    await core.end_season(panel.services, ADMIN)
    await core.open_season(panel.services, ADMIN, "Winter", "2026-11-20", "2026-12-20 18:00", 5)
    await log_in(panel, "member")
    page = (await panel.client.get(f"{G}/seasons")).text
    shown = text_of(page)
    assert "Winter upcoming 2026-11-20 00:00 UTC 2026-12-20 18:00 UTC top 5" in shown
    assert "Autumn ended 2026-11-18 11:06 UTC 2026-11-18 11:06 UTC top 2" in shown  # ended early: its end is then
    assert f'href="{G}/seasons/{done.id}"' in page
    assert shown.index("Winter") < shown.index("Autumn")  # newest first
    assert "Open season" not in shown  # no admin form for a member
    assert "End season" not in shown
    for tab in ("seasons", "campaigns", "teams"):
        assert f'href="{G}/{tab}"' in page


async def test_an_admin_opens_a_season_in_the_communitys_zone_and_ends_it(admin_panel: Panel) -> None:
    panel = admin_panel
    await set_config(panel.store, ADMIN, "time_zone", "Asia/Tokyo")
    assert "in Asia/Tokyo" in text_of((await panel.client.get(f"{G}/seasons")).text)
    done = await submit_form(panel, "seasons", name="Sprint", start="now", end="2026-12-01 18:00", reward_zone="3")
    assert (done.status_code, done.headers["location"]) == (303, f"{G}/seasons")
    [season] = await core.seasons(panel.store)
    assert (season.name, season.end, season.reward_zone, season.ended) == ("Sprint", 1_796_115_600.0, 3, False)
    assert await last_audit(panel) == (ADMIN, "season-create", "Sprint: 1795000000-1796115600, top 3")
    page = text_of((await panel.client.get(f"{G}/seasons")).text)
    assert "Season Sprint opened (reward zone: top 3)." in page
    assert "End season Sprint now" in page
    assert "Open season" not in page
    ended = await submit_form(panel, "seasons/end")
    assert ended.status_code == 303
    assert (await core.seasons(panel.store))[0].ended
    assert await last_audit(panel) == (ADMIN, "season-end", "ended")
    assert "Season Sprint ended: its results are final" in text_of((await panel.client.get(f"{G}/seasons")).text)


async def test_a_seasons_board_marks_its_reward_zone_and_pages(admin_panel: Panel) -> None:
    panel = admin_panel
    season = await core.open_season(panel.services, ADMIN, "Sprint", "now", "2026-11-25", 2)
    others = [f"1000000000000001{n:02d}" for n in range(10)]
    for n, member in enumerate(others):
        await panel.store.link_account(member, f"7{n:02d}", f"m{n}", "bio", "2026-11-18T00:00:00+00:00")
        await pay(panel, member, 1, season=season.id, x_id=f"7{n:02d}")
    await pay(panel, ALICE, 9, season=season.id)
    await pay(panel, BOB, 5, season=season.id)
    first = (await panel.client.get(f"{G}/seasons/{season.id}")).text
    shown = text_of(first)
    assert "Reward zone: the top 2." in shown
    assert f"1 {ALICE} alice 9 🏆 yes 2 {BOB} bob 5 🏆 yes 3 " in shown
    assert "🏆" not in shown.split(" 3 ", 1)[1].split("Your standing")[0]  # rank 3 on is outside the zone
    assert "Page 1 of 2" in shown
    assert f'href="{G}/seasons/{season.id}.csv"' in first
    second = text_of((await panel.client.get(f"{G}/seasons/{season.id}?page=2")).text)
    assert re.search(r"Rank Member X handle Points Reward zone 11 \d+ m\d+ 1 12 \d+ m\d+ 1 Your standing", second)


async def test_the_teams_board_and_the_results_csv(admin_panel: Panel) -> None:
    panel = admin_panel
    season = await core.open_season(panel.services, ADMIN, "Sprint", "now", "2026-11-25", 1)
    for name in ("Red", "Blue"):
        await core.create_team(panel.services, ADMIN, name)
    await core.join_team(panel.services, ALICE, "Red")
    await core.join_team(panel.services, BOB, "Blue")
    await pay(panel, ALICE, 4, season=season.id)
    await pay(panel, BOB, 6, season=season.id)
    shown = text_of((await panel.client.get(f"{G}/seasons/{season.id}")).text)
    assert "Teams Rank Team Points 1 Blue 6 2 Red 4" in shown
    answer = await panel.client.get(f"{G}/seasons/{season.id}.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == f'attachment; filename="season-{season.id}-results.csv"'
    assert answer.text == (await core.season_results(panel.services, season))[1]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[1:] == [["1", BOB, "bob", "6", "yes"], ["2", ALICE, "alice", "4", "no"]]


async def test_teams_are_listed_created_and_assigned(admin_panel: Panel) -> None:
    panel = admin_panel
    assert "No team yet." in text_of((await panel.client.get(f"{G}/teams")).text)
    assert (await submit_form(panel, "teams", name="Red")).status_code == 303
    assert await last_audit(panel) == (ADMIN, "team-create", "Red")
    [red] = await core.teams(panel.store)
    assert "Team Red created." in text_of((await panel.client.get(f"{G}/teams")).text)
    assert (await submit_form(panel, "teams/assign", member=BOB, team="red")).status_code == 303
    assert await panel.store.member_team(BOB) == red.id
    assert await last_audit(panel) == (ADMIN, "team-assign", red.id)
    assert f"Member {BOB} is now in team Red." in text_of((await panel.client.get(f"{G}/teams")).text)
    await core.join_team(panel.services, panel.member.id, "Red")
    await log_in(panel, "member")
    assert "Red your team" in text_of((await panel.client.get(f"{G}/teams")).text)


async def test_campaigns_are_created_filled_ended_and_shown(admin_panel: Panel) -> None:
    panel = admin_panel
    form = {"name": "Picks", "start": "now", "end": "2026-11-30", "multiplier": "1.5", "match": "posts", "value": ""}
    assert (await submit_form(panel, "campaigns", **form)).status_code == 303
    assert await last_audit(panel) == (ADMIN, "campaign-create", "Picks: x1.5 on posts")
    [picks] = await core.campaigns(panel.store)
    page = text_of((await panel.client.get(f"{G}/campaigns")).text)
    assert "Campaign Picks created (x1.5)." in page
    assert "Picks running x1.5 picked posts 2026-11-18 11:06 UTC 2026-11-30 00:00 UTC" in page
    assert (await submit_form(panel, "campaigns/posts", name="Picks", url=POST_URL)).status_code == 303
    assert await last_audit(panel) == (ADMIN, "campaign-post", TWEET_ID)
    await pay(panel, BOB, 6, campaign=picks.id)
    board = text_of((await panel.client.get(f"{G}/campaigns/{picks.id}")).text)
    assert f"1 {BOB} bob 6" in board
    assert f"Picked posts {TWEET_ID}" in board
    assert (await submit_form(panel, "campaigns/end", name="picks")).status_code == 303
    assert await last_audit(panel) == (ADMIN, "campaign-end", "ended")
    assert "Picks ended x1.5" in text_of((await panel.client.get(f"{G}/campaigns")).text)


@pytest.mark.parametrize(
    ("path", "form", "status", "message"),
    [
        ("seasons", {"name": "S", "end": "next week", "reward_zone": "3"}, 400, "The end must be `now`, a date"),
        ("seasons", {"name": "S", "start": "2026-13-01", "end": "2026-12-01", "reward_zone": "3"}, 400, "The start"),
        ("seasons", {"name": "S", "end": "2026-11-01", "reward_zone": "3"}, 400, "The end must be after the start."),
        ("seasons", {"name": "S", "end": "2026-12-01", "reward_zone": "0"}, 400, "The reward zone is the top 1 to"),
        ("seasons", {"name": "S", "end": "2026-12-01", "reward_zone": "ten"}, 400, "The reward zone is the top 1 to"),
        ("seasons", {"name": "Open", "end": "2026-12-01", "reward_zone": "3"}, 400, "called 'Open' exists already"),
        ("seasons", {"name": "S2", "end": "2026-12-01", "reward_zone": "3"}, 409, "Season 'Open' is still open"),
        ("teams", {"name": "red"}, 400, "A team called 'red' exists already."),
        ("teams", {"name": "<b>"}, 400, "A team name is 1 to 40 letters"),
        ("teams/assign", {"member": "bob", "team": "Red"}, 400, "Discord id"),
        ("teams/assign", {"member": BOB, "team": "Green"}, 409, "There is no team called 'Green'. Teams: Red."),
        ("campaigns", {"name": "C", "end": "2026-12-01", "multiplier": "0", "match": "posts"}, 400, "multiplier"),
        ("campaigns", {"name": "C", "end": "2026-12-01", "multiplier": "1.505", "match": "posts"}, 400, "2 decimals"),
        ("campaigns", {"name": "C", "end": "soon", "multiplier": "2", "match": "posts"}, 400, "The end must be"),
        (
            "campaigns",
            {"name": "C", "end": "2026-12-01", "multiplier": "2", "match": "category", "value": "x"},
            400,
            "The category must be one of",
        ),
        ("campaigns/posts", {"name": "Tags", "url": POST_URL}, 409, "takes its posts by hashtag, not by picking"),
        ("campaigns/posts", {"name": "Tags", "url": "not a link"}, 400, "link"),
        ("campaigns/posts", {"name": "Nope", "url": POST_URL}, 409, "There is no campaign called 'Nope'."),
        ("campaigns/end", {"name": "Done"}, 409, "Campaign 'Done' has ended already."),
    ],
)
async def test_a_bad_input_is_a_clear_message_and_changes_nothing(
    admin_panel: Panel, path: str, form: dict[str, str], status: int, message: str
) -> None:
    panel = admin_panel
    await core.open_season(panel.services, ADMIN, "Open", "now", "2026-11-30", 3)
    await core.create_team(panel.services, ADMIN, "Red")
    await core.create_campaign(panel.services, ADMIN, "Tags", "now", "2026-11-30", "2", "hashtag", "launch")
    await core.create_campaign(panel.services, ADMIN, "Done", "now", "2026-11-30", "2", "posts")
    await core.end_campaign(panel.services, ADMIN, "Done")
    before = await unchanged_keys(panel)
    refused = await submit_form(panel, path, **form)
    assert refused.status_code == status
    assert message in text_of(refused.text)
    assert await unchanged_keys(panel) == before


async def test_ending_with_no_open_season_is_refused(admin_panel: Panel) -> None:
    before = await unchanged_keys(admin_panel)
    refused = await submit_form(admin_panel, "seasons/end")
    assert (refused.status_code, "No season is open." in refused.text) == (409, True)
    assert await unchanged_keys(admin_panel) == before


@pytest.mark.parametrize("path", ["seasons/99", "seasons/99.csv", "seasons/x", "campaigns/99"])
async def test_an_unknown_id_is_a_404(admin_panel: Panel, path: str) -> None:
    before = await unchanged_keys(admin_panel)
    missing = await admin_panel.client.get(f"{G}/{path}")
    assert missing.status_code == 404
    assert re.search(r"No (season|campaign) with the id", text_of(missing.text))
    assert await unchanged_keys(admin_panel) == before


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("seasons", {"name": "S", "end": "2026-12-01", "reward_zone": "3"}),
        ("seasons/end", {}),
        ("teams", {"name": "Blue"}),
        ("teams/assign", {"member": BOB, "team": "Red"}),
        ("campaigns", {"name": "C", "end": "2026-12-01", "multiplier": "2", "match": "posts"}),
        ("campaigns/posts", {"name": "Picks", "url": POST_URL}),
        ("campaigns/end", {"name": "Picks"}),
    ],
)
async def test_a_members_post_is_refused_and_changes_nothing(panel: Panel, path: str, form: dict[str, str]) -> None:
    await core.open_season(panel.services, ADMIN, "Open", "now", "2026-11-30", 3)
    await core.create_team(panel.services, ADMIN, "Red")
    await core.create_campaign(panel.services, ADMIN, "Picks", "now", "2026-11-30", "2", "posts")
    await log_in(panel, "member")
    before = await unchanged_keys(panel)
    refused = await submit_form(panel, path, **form)
    assert refused.status_code == 403
    assert await unchanged_keys(panel) == before


async def test_a_member_reads_every_board_but_not_the_csv(panel: Panel) -> None:
    season = await core.open_season(panel.services, ADMIN, "Open", "now", "2026-11-30", 3)
    campaign = await core.create_campaign(panel.services, ADMIN, "Picks", "now", "2026-11-30", "2", "posts")
    await log_in(panel, "member")
    for path in (f"{G}/seasons/{season.id}", f"{G}/campaigns/{campaign.id}", f"{A}/seasons/{season.id}/board",
                 f"{A}/campaigns/{campaign.id}/board"):  # fmt: skip
        assert (await panel.client.get(path)).status_code == 200
    page = (await panel.client.get(f"{G}/seasons/{season.id}")).text
    assert ".csv" not in page
    before = await unchanged_keys(panel)
    assert (await panel.client.get(f"{G}/seasons/{season.id}.csv")).status_code == 403
    assert await unchanged_keys(panel) == before


async def test_the_api_lists_and_pages_the_boards(admin_panel: Panel) -> None:
    panel = admin_panel
    season = await core.open_season(panel.services, ADMIN, "Sprint", "now", "2026-11-25", 1)
    campaign = await core.create_campaign(panel.services, ADMIN, "Art", "now", "2026-11-25", "1.25", "category", "art")
    team = await core.create_team(panel.services, ADMIN, "Red")
    await pay(panel, ALICE, 4, season=season.id, campaign=campaign.id)
    seasons = (await panel.client.get(f"{A}/seasons")).json()
    assert seasons == [
        {"id": season.id, "name": "Sprint", "start": season.start, "end": season.end, "reward_zone": 1, "ended": False}
    ]
    assert (await panel.client.get(f"{A}/teams")).json() == [{"id": team.id, "name": "Red"}]
    [art] = (await panel.client.get(f"{A}/campaigns")).json()
    assert (art["name"], art["multiplier"], art["match"], art["value"]) == ("Art", "1.25", "category", "art")
    board = (await panel.client.get(f"{A}/seasons/{season.id}/board")).json()
    assert board["entries"] == [{"rank": 1, "discord_id": ALICE, "handle": "alice", "points": 4}]
    assert (board["reward_zone"], board["pages"], board["next_cursor"], board["viewer_rank"]) == (1, 1, None, None)
    on_campaign = (await panel.client.get(f"{A}/campaigns/{campaign.id}/board")).json()
    assert [e["points"] for e in on_campaign["entries"]] == [4]
    for path in (f"seasons/{season.id}", f"campaigns/{campaign.id}"):
        bad = await panel.client.get(f"{A}/{path}/board?cursor=nope")
        assert (bad.status_code, bad.json()["title"]) == (400, "Bad cursor")
    for path in ("seasons/9/board", "campaigns/9/board"):
        missing = await panel.client.get(f"{A}/{path}")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"


async def test_the_api_writes_are_audited_and_refusals_change_nothing(admin_panel: Panel) -> None:
    panel = admin_panel
    headers = {"X-CSRF-Token": await panel.csrf()}

    async def send(path: str, body: dict[str, Any] | None = None) -> Any:
        return await panel.client.post(f"{A}/{path}", json=body, headers=headers)

    opened = await send("seasons", {"name": "Sprint", "end": "2026-11-25", "reward_zone": 2})
    assert (opened.status_code, opened.json()["name"], opened.json()["ended"]) == (200, "Sprint", False)
    assert await last_audit(panel) == (ADMIN, "season-create", "Sprint: 1795000000-1795564800, top 2")
    assert (await send("teams", {"name": "Red"})).json()["name"] == "Red"
    body = {"name": "Launch", "end": "2026-11-25", "multiplier": 2, "match": "hashtag", "value": "#Launch"}
    created = (await send("campaigns", body)).json()
    assert (created["multiplier"], created["value"]) == ("2", "launch")
    assert await last_audit(panel) == (ADMIN, "campaign-create", "Launch: x2 on hashtag launch")
    before = await unchanged_keys(panel)
    for path, sent, status, detail in (
        ("seasons", {"name": "Next", "end": "2026-12-01"}, 409, "Season 'Sprint' is still open"),
        ("teams", {"name": "RED"}, 400, "A team called 'RED' exists already."),
        ("campaigns", {**body, "name": "X", "multiplier": "11"}, 400, "The multiplier is a number from 0.1 to 10"),
        ("campaigns", {**body, "name": "X", "end": "tomorrow"}, 400, "The end must be `now`"),
    ):
        refused = await send(path, sent)
        assert refused.status_code == status
        assert detail in refused.json()["detail"]
    assert await unchanged_keys(panel) == before
    ended = await send("seasons/end")
    assert (ended.status_code, ended.json()["ended"]) == (200, True)
    assert await last_audit(panel) == (ADMIN, "season-end", "ended")
