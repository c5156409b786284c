"""X API cost of a simulated day: our worker next to the original system's naive strategy, on the fake X.

Run: `scripts/bench x_cost [--seed N] [--submissions N] [--members N] [--authors-post N]`
(or `.venv/bin/python -m bench.x_cost`).

1,000 submissions over 24 h by 300 members with skewed engagement, batches every 30-60 simulated
minutes until the last submission has left its 24-hour window, so the totals are what one day of
submissions costs through its whole tracking life (in steady state, requests per day). Each strategy
has its own fake X (rate limits are per app). Then the capacity of one batch under the standard
15-minute limits, from 1,000 to 50,000 tracked tweets. The server is `REDIS_URL` or an embedded Valkey.
Next to our figures: the floor any strategy with full recall must pay (bench/_floor.py), and the delay
from each engagement to its award. `--authors-post 5`: authors post 5 times what they submit.
"""

from __future__ import annotations

import argparse
import random
from datetime import timedelta
from typing import Any

from bench._capacity import measure_capacity, show_capacity
from bench._common import bench_client, machine, positive_int, private_prefix, run_bench, server_info
from bench._cost_report import report, show
from bench._day import DAY_START, SimClock, batch_times, plan_days
from bench._naive import NaiveStrategy
from bench._seed import enrol_scenario_members
from bench._strategies import DayRun, Fakes, x_client
from engagement.keys import Keys
from engagement.settings import load_settings
from engagement.store import Store

WINDOW = timedelta(hours=24)
DAYS = 2  # the first day fills the 24-hour window; the second is measured


async def simulate(client: Any, prefix: str, options: argparse.Namespace) -> dict[str, Any]:
    plan = plan_days(
        options.seed,
        options.members,
        options.submissions,
        options.unlinked,
        DAYS,
        authors_post=options.authors_post,
        signed_in=options.signed_in / 100,
    )
    clock = SimClock(DAY_START.timestamp())
    fakes = await Fakes.start(plan.scenario, clock)
    store = Store(client, Keys(prefix), clock=clock)
    settings = load_settings(_env_file=None, key_prefix=prefix, batch_window_hours=24)
    await enrol_scenario_members(store, plan.scenario, DAY_START.isoformat())
    members = {member.x_user_id: member.discord_id for member in plan.scenario.members}
    naive = NaiveStrategy(x_client(fakes.naive, clock), members)
    run = DayRun(plan.scenario, store, settings, clock, fakes, x_client(fakes.ours, clock), naive)
    last_submit = max(event.at for event in plan.events if event.kind == "submit")
    schedule = batch_times(random.Random(options.seed), clock.now, last_submit + WINDOW.total_seconds(), (30, 60))
    cursor = 0
    try:
        for at in schedule:
            while cursor < len(plan.events) and plan.events[cursor].at <= at:
                await run.apply(plan.events[cursor])
                cursor += 1
            await run.batch(at)
        return report(plan, run, schedule, await run.ours_found())
    finally:
        await run.ours_x.aclose()
        await run.naive.x.aclose()
        await fakes.close()


async def run(url: str, options: argparse.Namespace) -> dict[str, Any]:
    async with bench_client(url) as client:
        async with private_prefix(client) as prefix:
            day = await simulate(client, prefix, options)
        capacity = await measure_capacity(client, day, options.capacity)
        results = {"bench": "x_cost", "machine": machine(), "redis": await server_info(client), **day}
        results["capacity"] = capacity
        show(results)
        show_capacity(capacity)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--submissions", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--unlinked", type=int, default=30, help="X accounts that engage but are not members")
    parser.add_argument(
        "--authors-post",
        type=positive_int,
        default=1,
        help="posts each author makes per submitted one (the rest are never submitted; 1 = today's world)",
    )
    parser.add_argument(
        "--signed-in",
        type=int,
        choices=range(0, 101),
        metavar="PERCENT",
        default=50,
        help="share of members who signed in with X (likes on their posts are read with their tokens)",
    )
    parser.add_argument(
        "--capacity",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1_000, 2_500, 5_000, 10_000, 20_000, 50_000],
    )
    run_bench("x_cost", parser, run)


if __name__ == "__main__":
    main()
