"""Admin pages: overview, tweets, rules, batches and the CSV export. Each calls the same core function as the
matching /admin slash command, so the validation and the audit entries are the same."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engagement import admin as core
from engagement.charts import daily_awards_png
from engagement.stats import parse_board
from engagement.validation import ENGAGEMENT_TYPES, TIERS
from rules.scoring import TIER_NAMES
from web.deps import AdminDep, FormDep, StaffDep, Viewer, field, get_web
from web.render import page, see_other
from web.routes.community import PageQuery

router = APIRouter(prefix="/c/{guild_id}", include_in_schema=False)


async def _done(request: Request, viewer: Viewer, where: str, notice: str) -> Response:
    """After a change: a one-time notice, and back to the page (a reload does not repeat the POST)."""
    await get_web(request).sessions.notify(viewer.session, notice)
    return see_other(f"/c/{viewer.guild_id}/{where}")


@router.get("/overview")
async def overview(request: Request, viewer: AdminDep) -> Response:
    shown = await core.overview(viewer.services.store, viewer.services.settings.batch_window_hours)
    days = await core.daily_totals(viewer.services.store)
    return await page(request, "overview.html", viewer.session, viewer, shown=shown, days=days)


@router.get("/overview/daily.png")
async def overview_chart(viewer: AdminDep) -> Response:
    """Points and awards per day, as a PNG (drawn in a thread: matplotlib is CPU work)."""
    days = await core.daily_totals(viewer.services.store)
    png = await asyncio.to_thread(daily_awards_png, days)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})


@router.get("/tweets")
async def tweets(
    request: Request, viewer: StaffDep, category: str = "", author: str = "", q: str = "", number: PageQuery = 1
) -> Response:
    shown = await core.list_tweets(viewer.services.store, category, number, author=author, search=q)
    categories = viewer.services.settings.categories
    query = urlencode({"category": category, "author": author, "q": q})
    return await page(request, "tweets.html", viewer.session, viewer, shown=shown, categories=categories, query=query)


@router.get("/tweets/{tweet_id}")
async def tweet(request: Request, viewer: StaffDep, tweet_id: str) -> Response:
    shown = await core.tweet_details(viewer.services.store, tweet_id)
    return await page(request, "tweet.html", viewer.session, viewer, shown=shown)


@router.post("/tweets/delete")
async def tweets_delete(request: Request, viewer: StaffDep, form: FormDep) -> Response:
    revoke = field(form, "revoke") == "1"
    done = await core.delete_tweet(
        viewer.services.store, viewer.actor, field(form, "tweet"), revoke=revoke, reason=field(form, "reason")
    )
    notice = f"Tweet {done.submission.tweet_id} is no longer tracked."
    if done.revoked:
        notice += f" Revoked {done.revoked_awards} awards ({done.revoked_points} points)."
    return await _done(request, viewer, "tweets", notice)


@router.get("/rules")
async def rules(request: Request, viewer: AdminDep) -> Response:
    return await _rules_page(request, viewer, None)


@router.post("/rules/preview")
async def rules_preview(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    """What setting one rule would do, from the last window's awards (a POST of the same form; nothing changes)."""
    window = viewer.services.settings.batch_window_hours
    values = (field(form, "tier"), field(form, "type"), field(form, "points"))
    preview = await core.preview_rule(viewer.services.store, window, *values)
    return await _rules_page(request, viewer, preview)


async def _rules_page(request: Request, viewer: Viewer, preview: core.RulePreview | None) -> Response:
    shown = await core.show_rules(viewer.services.store)
    return await page(
        request,
        "rules.html",
        viewer.session,
        viewer,
        shown=shown,
        preview=preview,
        types=ENGAGEMENT_TYPES,
        tiers=TIERS,
        tier_names=TIER_NAMES,
    )


@router.post("/rules")
async def rules_set(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    tier, kind = field(form, "tier"), field(form, "type")
    old, new = await core.set_rule(viewer.services.store, viewer.actor, tier, kind, field(form, "points"))
    return await _done(request, viewer, "rules", f"Tier {tier} {kind}: {old} → {new} points, from the next batch.")


@router.post("/rules/reset")
async def rules_reset(request: Request, viewer: AdminDep, _: FormDep) -> Response:
    changed = await core.reset_rules(viewer.services.store, viewer.actor)
    return await _done(request, viewer, "rules", f"Rules reset to the defaults ({changed} changed rules removed).")


@router.get("/leaderboard.csv")
async def leaderboard_csv(viewer: AdminDep, board: str = "alltime") -> Response:
    # The panel has no member list (no bot gateway here): names are those members last used the bot with.
    export = await core.leaderboard_csv(viewer.services.store, viewer.actor, parse_board(board), {})
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"'}
    return Response(export.csv_text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/batches")
async def batches(request: Request, viewer: StaffDep, number: PageQuery = 1) -> Response:
    shown = await core.batch_history(viewer.services.store, number)
    running = await core.running_batch(viewer.services.store)
    return await page(request, "batches.html", viewer.session, viewer, shown=shown, running=running)


@router.get("/batches/live")
async def batch_live(request: Request, viewer: StaffDep) -> Response:
    """The running batch's progress, as the fragment the Batch jobs page polls (htmx)."""
    running = await core.running_batch(viewer.services.store)
    return await page(request, "_batch_live.html", None, viewer, running=running)


@router.get("/batches/{batch_id}")
async def batch(request: Request, viewer: StaffDep, batch_id: int) -> Response:
    record = await core.batch_details(viewer.services.store, batch_id)
    return await page(request, "batch.html", viewer.session, viewer, batch=record)


@router.post("/batches/run")
async def batch_run(request: Request, viewer: StaffDep, _: FormDep) -> Response:
    await core.request_batch_run(viewer.services.store, viewer.actor)
    return await _done(request, viewer, "batches", "Batch requested: the worker starts it within seconds.")
