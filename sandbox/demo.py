"""The offline demo: the whole product on an embedded Valkey and a local fake X, in under a minute.

Simulated members prove their X accounts with the real /connect code check, two
of them also sign in with X through the panel and the fake X's OAuth pages (so
likes on their posts count), they submit their posts through the same core
functions the bot calls, and one real batch runs through the worker's code. Two
of them also connect Threads (a fake Threads API): one submits a Threads post,
the other's reply to it is paid.
Nothing touches Discord, X, or your data.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from engagement.batch import BatchOutcome, run_batch
from engagement.connections import PendingConnect, start_connect, verify_connect
from engagement.errors import EngagementError
from engagement.models import AwardLog
from engagement.redis_conn import open_store
from engagement.services import Services
from engagement.settings import Settings
from engagement.stats import leaderboard_page
from engagement.store import Store
from engagement.submissions import submit_tweet
from engagement.threads.wiring import threads_access
from engagement.urls import tweet_url
from engagement.x import XClient
from engagement.x_oauth import shared_beside
from sandbox._demo_panel import demo_panel, demo_settings, listen, log_in_and_read_overview
from sandbox._demo_report import show_report
from sandbox._demo_sign_in import sign_in_members, with_sign_in
from sandbox._demo_threads import threads_post_with_a_reply, threads_reply_paid, with_threads
from sandbox.fake_threads import FakeThreads
from sandbox.scenario import Member, Scenario, generate_scenario

log = logging.getLogger(__name__)

DEMO_ADMIN = "1"
SEED = 2
SIGNED_IN = 2  # members (the first ones) who also sign in with X


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


async def _connect_members(services: Services, scenario: Scenario) -> None:
    for member in scenario.members:
        pending = await start_connect(services, member.discord_id, member.username)
        if isinstance(pending, PendingConnect):  # a fresh demo: nobody proved an account before
            scenario.fake.set_description(member.x_user_id, f"building things | {pending.code}")
            await verify_connect(services, member.discord_id)
        if member.tier != 1:
            await services.store.set_tier(DEMO_ADMIN, member.discord_id, member.tier)
    print(f"connected {len(scenario.members)} members, each proved with a one-time code in their X bio")


async def _submit_tweets(services: Services, scenario: Scenario) -> set[str]:
    """Submit every scenario post as its author; returns the ids accepted."""
    accepted: set[str] = set()
    refused: list[str] = []
    for tweet_id, author in scenario.tweets.items():
        member = scenario.member(author)
        assert member is not None
        try:
            await submit_tweet(services, member.discord_id, tweet_url(member.username, tweet_id))
            accepted.add(tweet_id)
        except EngagementError as refusal:
            refused.append(f"  @{member.username}: {refusal}")
    print(f"submitted {len(accepted)} posts; refused {len(refused)}:")
    print("\n".join(refused) if refused else "  (none)")
    return accepted


def _print_batch(outcome: BatchOutcome) -> None:
    tally, usage = outcome.tally, outcome.usage
    rows = [
        ("status", outcome.status),
        ("posts scanned", tally.tweets_scanned),
        ("engagements seen", tally.engagements_seen),
        ("awards", tally.awards),
        ("points awarded", tally.points_awarded),
        ("X requests", f"{usage.total_requests} ({', '.join(f'{k} {v}' for k, v in sorted(usage.requests.items()))})"),
        ("posts / users read", f"{usage.posts_read} / {usage.users_read}"),
        ("estimated cost", f"${usage.cost_usd:.3f}"),
        ("posts with untracked likes", tally.likes_untracked),
    ]
    print("\n" + format_table(("batch", outcome.batch_id or "-"), rows))


async def _print_leaderboard(services: Services, scenario: Scenario) -> None:
    page = await leaderboard_page(services, weekly=False, page=0, viewer_id=scenario.members[0].discord_id)
    tiers = {m.discord_id: m.tier for m in scenario.members}
    rows = [
        (e.rank, "@" + page.handles.get(e.discord_id, "?"), tiers.get(e.discord_id, "?"), e.points)
        for e in page.entries
    ]
    print("\nleaderboard (all time)\n" + format_table(("rank", "member", "tier", "points"), rows))


async def _check_against_truth(
    store: Store, scenario: Scenario, accepted: set[str], signed_in: Sequence[Member]
) -> bool:
    """Every award the scenario's truth expects is paid; likes exactly on the signed-in members' posts."""
    expected = {a for a in scenario.expected_awards if a[0] in accepted and a[2] != "like"}
    found = {a for a in expected if await store.is_awarded(*a)}
    likes = _readable_likes(scenario, accepted, {m.x_user_id for m in signed_in})
    paid = {(log.tweet_id, log.discord_id) for log in await _like_logs(store, accepted)}
    truth = {(tweet_id, member.discord_id) for tweet_id, member in likes}
    names = ", ".join(f"@{m.username}" for m in signed_in)
    print(f"\nsigned in with X: {names} (likes on their posts paid: {len(paid & truth)})")
    print(
        "awards matching the scenario's truth (reposts, replies, quotes, likes on signed-in posts): "
        f"{len(found) + len(paid & truth)}/{len(expected) + len(truth)}"
    )
    print("likes on the other members' posts: X shows them only to the post's author; they count once they sign in.")
    return found == expected and paid == truth


def _readable_likes(scenario: Scenario, accepted: set[str], authors: set[str]) -> set[tuple[str, Member]]:
    """(post, member) for every like by a member on an accepted post of a signed-in author (not their own)."""
    likes: set[tuple[str, Member]] = set()
    for tweet_id in accepted:
        author = scenario.tweets[tweet_id]
        if author not in authors:
            continue
        for _, user in scenario.fake.likers(tweet_id):
            member = scenario.member(user.id)
            if member is not None and user.id != author:
                likes.add((tweet_id, member))
    return likes


async def _like_logs(store: Store, accepted: set[str]) -> list[AwardLog]:
    logs: list[AwardLog] = []
    for tweet_id in accepted:
        logs += [log for log in await store.logs_by_id(await store.tweet_log_ids(tweet_id)) if log.type == "like"]
    return logs


def _scenario_in_the_past(now: datetime) -> Scenario:
    """The seeded world, shifted so that everything in it has already happened."""
    start = now - timedelta(hours=20)
    scenario = generate_scenario(SEED, members=12, tweets=16, start=start, span=timedelta(hours=16), unlinked=4)
    late = scenario.end - now + timedelta(minutes=1)
    if late > timedelta(0):
        scenario = generate_scenario(
            SEED, members=12, tweets=16, start=start - late, span=timedelta(hours=16), unlinked=4
        )
    return scenario


async def run_demo_async(settings: Settings, data_dir: Path) -> bool:
    scenario = _scenario_in_the_past(datetime.now(UTC))
    base_url = await scenario.fake.start()
    threads = FakeThreads()
    await threads.start()
    update = {"x_api_base_url": base_url, "key_prefix": "demo", "redis_url": None, "data_dir": data_dir}
    demo = demo_settings(settings.model_copy(update=update), "http://127.0.0.1:9/api")  # the panel's fake is later
    listening = listen(demo)
    demo = with_threads(with_sign_in(demo, scenario.fake, listening.getsockname()[1]), threads)
    x = XClient(base_url, scenario.fake.bearer_token)
    try:
        async with open_store(demo) as store, threads_access(shared_beside(store), demo) as reads:
            services = Services(demo, store, x, threads=reads)
            await _connect_members(services, scenario)
            async with demo_panel(demo, services, listening) as url:
                signed_in = scenario.members[:SIGNED_IN]
                await sign_in_members(services, scenario.fake, signed_in)
                accepted = await _submit_tweets(services, scenario)
                threads_post = await threads_post_with_a_reply(services, threads, scenario.members[:2])
                outcome = await run_batch(store, x, demo)
                _print_batch(outcome)
                await _print_leaderboard(services, scenario)
                again = await run_batch(store, x, demo)
                print(
                    f"\na second batch right after: {again.tally.awards} new awards, "
                    f"{again.usage.total_requests} X request(s) (counters unchanged: no engager lists; "
                    "threads searched only since the newest reply)"
                )
                matched = await _check_against_truth(store, scenario, accepted, signed_in)
                matched = await threads_reply_paid(services, threads_post) and matched
                await show_report(services, settings.data_dir / "demo-report")
                await _show_panel(demo, url)
                return matched and again.tally.awards == 0
    finally:
        listening.close()
        await x.aclose()
        await scenario.fake.close()
        await threads.close()


async def _show_panel(settings: Settings, url: str) -> None:
    """The web panel on this demo's data, logged in through a fake Discord; kept open DEMO_PANEL_MINUTES."""
    cards = await log_in_and_read_overview(url)
    print(f"\nthe web panel at {url}, logged in as the demo admin through a fake Discord login:")
    print(format_table(("overview", ""), list(cards.items())))
    if settings.demo_panel_minutes:
        print(
            f"open {url}/login to click through it (every login is the demo admin); it closes in "
            f"{settings.demo_panel_minutes} min, or press Ctrl-C"
        )
        await asyncio.sleep(settings.demo_panel_minutes * 60)


def run_demo(settings: Settings) -> int:
    """Run the demo on a throw-away embedded server; 0 when the awards match the scenario."""
    started = time.monotonic()
    logging.getLogger().setLevel(logging.WARNING)  # the demo prints its own story
    with tempfile.TemporaryDirectory(prefix="engagement-demo-") as folder:
        ok = asyncio.run(run_demo_async(settings, Path(folder)))
    print(f"\ndemo finished in {time.monotonic() - started:.1f} s. Set DISCORD_BOT_TOKEN in .env to run the real bot.")
    return 0 if ok else 1
