"""Embeds of the /admin commands: formatting only, every figure comes from the core."""

from __future__ import annotations

import discord

from bot.exts.stats._embeds import TYPE_LABELS
from engagement.admin import BatchesPage, BatchRecord, ConfigEntry, Overview, RulesView, TweetRow, TweetsPage
from engagement.heartbeat import WorkerState
from engagement.setup_check import Check
from engagement.validation import ENGAGEMENT_TYPES, TIERS
from rules.scoring import TIER_NAMES
from rules.wording import plural

COLOUR = discord.Colour.dark_teal()
METRIC_LABELS = {"like_count": "like", "repost_count": "repost", "reply_count": "reply", "quote_count": "quote"}
MAX_ERRORS_SHOWN = 5
MAX_FIELD = 1024


def when(timestamp: float | None) -> str:
    return f"<t:{int(timestamp)}:R>" if timestamp else "never"


def _clip(text: str, limit: int = MAX_FIELD) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def batch_line(batch: BatchRecord) -> str:
    took = f" in {batch.duration} s" if batch.duration is not None else ""
    return (
        f"**#{batch.id}** {batch.status}{took}, {when(batch.started_at)} · {plural(batch.awards, 'award')} "
        f"(+{batch.points_awarded}) · {plural(batch.x_requests, 'request')} · ${batch.cost_usd:.3f}"
    )


def worker_down(shown: WorkerState) -> str:
    seen = f"last seen {when(shown.last_seen)}" if shown.last_seen else "never seen"
    return f"worker not running ({seen})"


def batches_state(shown: Overview) -> str:
    """A stopped worker first: a batch lock it left behind, or its last planned time, would mislead."""
    if not shown.worker.alive:
        return worker_down(shown.worker)
    return "running now" if shown.batch_running else f"next {when(shown.next_batch_at)}"


def overview_embed(shown: Overview) -> discord.Embed:
    m = shown.monitoring
    embed = discord.Embed(title="Engagement overview", colour=COLOUR)
    embed.add_field(name=f"Tracked tweets ({shown.window_hours} h)", value=str(m.tweets_in_window))
    embed.add_field(name="Connected members", value=str(m.connected_members))
    top = f"<@{shown.top.discord_id}> · {plural(shown.top.points, 'point')}" if shown.top else "nobody yet"
    embed.add_field(name="Top score", value=top)
    embed.add_field(
        name="Last batch", value=batch_line(shown.last_batch) if shown.last_batch else "none yet", inline=False
    )
    embed.add_field(name="Batches", value=batches_state(shown))
    rate = "n/a" if m.batch_success_rate is None else f"{m.batch_success_rate:.0%}"
    embed.add_field(name="Batch success (recent)", value=rate)
    embed.add_field(name="Today", value=f"{m.daily_active_members} active · {m.tweets_submitted_today} submitted")
    embed.add_field(name="Avg engagement rate", value=f"{m.engagement_rate_avg:.0%}")
    spent = sum(m.x_requests_24h.values())
    embed.add_field(name="X last 24 h", value=f"{plural(spent, 'request')} · ${m.x_cost_usd_24h:.3f}")
    limits = [
        f"{name} {values['remaining']}/{values['limit']}"
        for name, values in sorted(m.rate_limits.items())
        if values.get("limit") is not None
    ]
    embed.add_field(name="X rate limits left", value=_clip(", ".join(limits) or "not known yet"), inline=False)
    return embed


def tweet_line(row: TweetRow) -> str:
    s = row.submission
    counters = ", ".join(plural(row.metrics[key], label) for key, label in METRIC_LABELS.items() if key in row.metrics)
    state = "" if row.tracking else " · no longer scanned"
    return (
        f"[{s.tweet_id}]({s.url}) by @{s.author_handle} · {s.category} · <@{s.submitter_discord_id}> "
        f"{when(s.submitted_at)}\n{counters or 'not looked up yet'} · {plural(row.awards, 'award')}, "
        f"{plural(row.points, 'point')}{state}"
    )


def tweets_embed(shown: TweetsPage) -> discord.Embed:
    title = f"Submitted tweets · {shown.category}" if shown.category else "Submitted tweets"
    lines = [tweet_line(row) for row in shown.rows]
    embed = discord.Embed(title=title, description="\n\n".join(lines) or "No submitted tweets.", colour=COLOUR)
    embed.set_footer(text=f"Page {shown.page}/{shown.pages} · {plural(shown.total, 'tweet')}")
    return embed


def rules_embed(view: RulesView) -> discord.Embed:
    embed = discord.Embed(title="Point rules", colour=COLOUR)
    for tier in TIERS:
        cells = [
            f"{TYPE_LABELS[kind]} **{view.table[(tier, kind)]}**" + ("*" if (tier, kind) in view.overridden else "")
            for kind in ENGAGEMENT_TYPES
        ]
        embed.add_field(name=f"Tier {tier} · {TIER_NAMES[tier]}", value=" · ".join(cells), inline=False)
    notes = ["* changed from the default. Changes apply from the next batch."]
    notes += [f"Ignored unreadable rule {tier}-{kind}={raw!r}" for (tier, kind), raw in sorted(view.ignored.items())]
    embed.set_footer(text="\n".join(notes))
    return embed


def batches_embed(shown: BatchesPage) -> discord.Embed:
    lines = [batch_line(batch) for batch in shown.batches]
    embed = discord.Embed(title="Batch history", description="\n".join(lines) or "No batches yet.", colour=COLOUR)
    embed.set_footer(text=f"Page {shown.page}/{shown.pages} · {plural(shown.total, 'batch')}")
    return embed


def batch_embed(batch: BatchRecord) -> discord.Embed:
    embed = discord.Embed(title=f"Batch #{batch.id} · {batch.status}", description=batch_line(batch), colour=COLOUR)
    embed.add_field(name="Started", value=when(batch.started_at))
    embed.add_field(name="Finished", value=when(batch.finished_at))
    embed.add_field(name="Worker", value=batch.worker or "unknown")
    work = f"{batch.tweets_scanned} tweets scanned ({batch.tweets_resting} quiet ones resting)"
    work += f" · {batch.engagements_seen} engagements seen"
    work += f" · {batch.carried_over} carried over · {batch.likes_untracked} with likes untracked"
    embed.add_field(name="Work", value=work, inline=False)
    by_endpoint = ", ".join(f"{name} {count}" for name, count in sorted(batch.requests_by_endpoint.items()))
    reads = f"{batch.posts_read} posts, {batch.users_read} users read"
    embed.add_field(name="X requests", value=_clip(f"{by_endpoint or 'none'} · {reads}"), inline=False)
    if batch.reason:
        embed.add_field(name="Reason", value=_clip(batch.reason), inline=False)
    if batch.errors:
        shown = [f"• {error}" for error in batch.errors[:MAX_ERRORS_SHOWN]]
        more = len(batch.errors) - MAX_ERRORS_SHOWN
        shown += [f"… and {more} more"] if more > 0 else []
        embed.add_field(name=f"Errors ({len(batch.errors)})", value=_clip("\n".join(shown)), inline=False)
    return embed


def config_value(entry: ConfigEntry) -> str:
    value = f"`{entry.value}`" if entry.value else "not set"
    if entry.name == "admin_role_ids" and entry.value:  # ids mean nothing to an admin: show the roles
        value = " ".join(f"<@&{role_id}>" for role_id in entry.value.split(","))
    return value


def config_line(entry: ConfigEntry) -> str:
    """One setting's current value, and where it comes from."""
    source = "set by an admin" if entry.overridden else "the environment's value"
    return f"`{entry.name}` is {config_value(entry)} ({source})."


def config_embed(entries: list[ConfigEntry]) -> discord.Embed:
    embed = discord.Embed(title="Run-time configuration", colour=COLOUR)
    for entry in entries:
        embed.add_field(name=entry.name, value=config_value(entry) + (" (set by an admin)" if entry.overridden else ""))
    embed.set_footer(
        text="Admin values override the environment; `/admin config setting:<name> reset:True` undoes one."
    )
    return embed


def setup_text(checks: list[Check]) -> str:
    """One line per check, ✅ or ❌ with what to fix; the worker's line says when it was last seen."""
    failed = sum(not check.ok for check in checks)
    head = "Setup check: everything is ready." if not failed else f"Setup check: {failed} to fix."
    lines = [head]
    for check in checks:
        seen = ""
        if check.name == "Worker":
            seen = f" (last seen {when(check.last_seen)})" if check.last_seen else " (never seen)"
        lines.append(f"{'✅' if check.ok else '❌'} **{check.name}**: {check.detail}{seen if not check.ok else ''}")
    return _clip("\n".join(lines), 1900)
