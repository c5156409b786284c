"""`python -m worker`: the scheduled batch worker; `python -m worker --once`: one batch, then exit;
`python -m worker report --week 2026-W48 [--format text|json]`: print that week's report.

Exit codes: 0 when the batch completed, was partial or skipped (and after a
clean shutdown); 1 when it failed, with the reason on one line; 2 for a bad
setting or an unreachable Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import time
from collections.abc import Sequence
from contextlib import suppress

from redis.exceptions import RedisError

from engagement.analytics import due_week
from engagement.batch import FAILED
from engagement.communities import Communities, CommunityBatches, CommunityNotServed
from engagement.errors import InvalidInput, SettingsError, StoreUnavailable
from engagement.logs import configure_logging, secrets_in
from engagement.monitoring import BatchMonitor
from engagement.resources import open_resources
from engagement.settings import Settings, load_settings
from worker.heartbeat import add_heartbeat, heartbeat_job
from worker.reports import add_report_job, print_report, report_job
from worker.scheduler import BatchRunner, BatchScheduler, poll_batch_requests

log = logging.getLogger("worker")


def _stop_on_signals(shutdown: asyncio.Event) -> None:
    """SIGTERM/SIGINT ask the running batch to stop after its current step, then the worker exits."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        # Only the main thread may own signal handlers (tests run main() in a thread).
        with suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, shutdown.set)


async def run_once(settings: Settings) -> int:
    shutdown = asyncio.Event()
    _stop_on_signals(shutdown)
    async with open_resources(settings) as (store, x):
        outcome = await CommunityBatches(Communities(settings, store), x, settings).run(shutdown)
        await BatchMonitor(store, x.rate_limits, settings.batch_window_hours).after_batch()
    if outcome is None:
        print("no community to scan: the bot has left every served server", file=sys.stderr)
        return 0
    if outcome.status == FAILED:
        print(f"batch {outcome.batch_id} failed: {outcome.reason}", file=sys.stderr)
        return 1
    print(outcome.summary())
    return 0


async def serve(settings: Settings) -> int:
    shutdown = asyncio.Event()
    _stop_on_signals(shutdown)
    async with open_resources(settings) as (store, x):
        runner = BatchRunner(store, x, settings, shutdown)
        monitor = BatchMonitor.for_worker(store, x.rate_limits, settings)
        run = monitor.checked(runner.run)  # metrics and alerts after every batch, scheduled or manual
        scheduler = BatchScheduler(run, settings)
        monitor.next_batch = scheduler.next_run_at
        monitor.also_scanned = runner.batches.communities.scanned
        poller = asyncio.create_task(poll_batch_requests(runner.batches.communities, run, shutdown))
        try:
            scheduler.start()
            add_heartbeat(scheduler.scheduler, heartbeat_job(runner.batches.communities.scanned))
            add_report_job(scheduler.scheduler, report_job(runner.batches.communities, settings))
            monitor.start()
            log.info(
                "worker started: a batch every %s-%s minutes", settings.batch_interval_min, settings.batch_interval_max
            )
            await shutdown.wait()
            log.info("shutting down: letting a running batch finish its current step")
        finally:
            scheduler.stop()
            await runner.idle()
            poller.cancel()
            with suppress(asyncio.CancelledError):
                await poller
            await monitor.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m worker", description="The engagement batch worker.")
    parser.add_argument("command", nargs="?", choices=["report"], help="report: print a week's report and exit")
    parser.add_argument("--once", action="store_true", help="run one batch now and exit")
    parser.add_argument("--week", help="with report: the ISO week, e.g. 2026-W48 (default: the last one due)")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="with report: text or json")
    parser.add_argument("--guild", type=int, help="with report: a served server's id (default: the home one)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level, secrets_in(settings))
        if args.command == "report":
            week = args.week or due_week(time.time(), settings.zone)
            return asyncio.run(print_report(settings, week, args.format, args.guild))
        return asyncio.run(run_once(settings) if args.once else serve(settings))
    except (InvalidInput, CommunityNotServed) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (SettingsError, StoreUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except RedisError as error:
        print(f"error: Redis failed during the batch: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
