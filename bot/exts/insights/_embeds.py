"""The /insights embeds, worded for members and admins."""

from __future__ import annotations

from collections.abc import Mapping

import discord

from bot.exts.stats._embeds import post_link
from engagement.analytics import (
    CommunityInsights,
    MemberInsights,
    PlatformFigures,
    PostInsights,
    Summary,
    TimeSlot,
)
from engagement.analytics._advice import DAYS
from engagement.platforms import THREADS, platform_title, seen_word
from rules.wording import plural

COLOUR = discord.Colour.blurple()
RATE_NOTE = (
    "Engagement rate = (likes + reposts + replies + quotes) / impressions x 100; a post X gave no impressions for "
    "reads 0 and is left out of averages."
)
THREADS_RATE_NOTE = " On Threads: + shares, over views."
BEST_SHOWN = 5


def _period(days: int) -> str:
    return "the last day" if days == 1 else f"the last {days} days"


def _summary_line(summary: Summary) -> str:
    return (
        f"{plural(summary.posts, 'post')} · {plural(summary.impressions, 'impression')} · "
        f"{plural(summary.engagements, 'engagement')} · avg. rate {summary.average_rate:.2f} %"
    )


def _summary_fields(embed: discord.Embed, summary: Summary) -> None:
    embed.add_field(name="Posts", value=_summary_line(summary), inline=False)
    shown = [("Best post", summary.best), ("Weakest post", summary.worst if summary.posts > 1 else None)]
    for name, found in shown:
        if found is not None:
            value = f"{post_link(found.tweet_id)} · rate {found.engagement_rate:.2f} % · "
            embed.add_field(name=name, value=value + plural(found.engagements, "engagement"), inline=False)
    if summary.by_category:
        lines = [
            f"**{name}**: {plural(figures.posts, 'post')}, {plural(figures.engagements, 'engagement')}, "
            f"avg. rate {figures.average_rate:.2f} %"
            for name, figures in summary.by_category.items()
        ]
        embed.add_field(name="By category", value="\n".join(lines)[:1024], inline=False)


def member_embed(found: MemberInsights, days: int) -> discord.Embed:
    embed = discord.Embed(title=f"Your insights: {_period(days)}", colour=COLOUR)
    if found.summary.posts == 0:
        embed.description = f"You submitted no posts in {_period(days)}. /submit your posts to see how they do."
    else:
        _summary_fields(embed, found.summary)
    points = plural(found.points_earned, "point", signed=found.points_earned != 0)
    earned = f"{points} from {plural(found.awards, 'award')}"
    embed.add_field(name="Earned by engaging", value=earned, inline=False)
    if found.platforms:
        embed.add_field(name="By platform", value=_platform_lines(found.platforms), inline=False)
    embed.set_footer(text=_rate_note(bool(found.platforms)))
    return embed


def _rate_note(with_threads: bool) -> str:
    return RATE_NOTE + (THREADS_RATE_NOTE if with_threads else "")


def _rate(found: PostInsights) -> str:
    m = found.measures
    title, seen = platform_title(found.post.platform), seen_word(found.post.platform)
    if not m.rate_known:
        return f"unknown: {title} gave no {seen} for this post yet"
    return f"{m.engagement_rate:.2f} % of {plural(m.impressions or 0, seen.removesuffix('s'))}"


def _counts(found: PostInsights) -> str:
    latest = found.post.latest
    counts = [plural(latest.likes, "like"), plural(latest.reposts, "repost")]
    counts += [plural(latest.replies, "reply"), plural(latest.quotes, "quote")]
    if found.post.platform == THREADS:  # X has no shares (its bookmarks are not an engagement)
        counts.append(plural(latest.shares, "share"))
    return " · ".join(counts)


def _velocity(found: PostInsights) -> str:
    m = found.measures
    text = f"{m.velocity:.1f} engagements an hour since publishing"
    if m.velocity_trend is not None:
        text += f" ({m.velocity_trend:+.1f} an hour against the snapshots before)"
    return text


def post_embed(found: PostInsights) -> discord.Embed:
    post, m, score = found.post, found.measures, found.score
    on_threads = post.platform == THREADS
    embed = discord.Embed(title="Post insights", colour=COLOUR)
    published = f"published <t:{int(post.published_at)}:R>"
    link = f"[Threads post]({post.url})" if on_threads else post_link(post.tweet_id)
    embed.description = f"{link} by @{post.author_handle} · {post.category} · {published}"
    embed.add_field(name="Engagements", value=_counts(found), inline=False)
    embed.add_field(name="Engagement rate", value=_rate(found), inline=False)
    embed.add_field(
        name="Engagement score", value=f"{m.weighted_score:,} (likes x1, reposts x2, replies x3, quotes x2)"
    )
    ratio = "no likes yet" if m.reply_to_like is None else f"{m.reply_to_like:.2f} replies per like"
    embed.add_field(name="Reply-to-like", value=ratio)
    embed.add_field(name="Velocity", value=_velocity(found), inline=False)
    parts = f"engagement {score.engagement:.1f}/40 · reach {score.reach:.1f}/30 · quality {score.quality:.1f}/30"
    embed.add_field(name="Performance score", value=f"**{score.total:.1f}** / 100 ({parts})", inline=False)
    embed.set_image(url="attachment://post.png")
    if not post.snapshots:
        embed.description += "\nNo batch has read this post yet: its figures appear after the next one."
    snapshots = plural(len(post.snapshots), "snapshot")
    against = "Threads posts" if on_threads else "posts"
    embed.set_footer(text=f"{snapshots}; the score is against this server's {against} of the last 90 days.")
    return embed


def _slots(slots: list[TimeSlot]) -> str:
    lines = [
        f"{DAYS[slot.weekday]} {slot.hour:02d}:00: {slot.average_rate:.2f} % ({plural(slot.posts, 'post')})"
        for slot in slots[:BEST_SHOWN]
    ]
    return "\n".join(lines) or "Not enough posts yet (a time needs 2 posts in the last 90 days)."


def _platform_lines(platforms: Mapping[str, PlatformFigures]) -> str:
    lines = []
    for platform, figures in platforms.items():
        title, seen = platform_title(platform), seen_word(platform)
        s, mix = figures.summary, figures.mix
        kind = mix.type if not mix.empty else "no engagement"
        lines.append(
            f"**{title}**: {plural(s.posts, 'post')}, {plural(s.engagements, 'engagement')}, {s.impressions:,} {seen}, "
            f"avg. rate {s.average_rate:.2f} %, {kind}"
        )
    return "\n".join(lines)


def community_embeds(found: CommunityInsights, days: int) -> list[discord.Embed]:
    embed = discord.Embed(title=f"Community insights: {_period(days)}", colour=COLOUR)
    _summary_fields(embed, found.summary)
    mix = found.mix
    shares = " · ".join(f"{kind} {share:.0%}" for kind, share in mix.shares.items())
    embed.add_field(name="Community type", value=f"**{mix.type}** ({shares})" if not mix.empty else "no engagement yet")
    if found.platforms:
        embed.add_field(name="By platform", value=_platform_lines(found.platforms), inline=False)
    embed.add_field(name="Best posting times (UTC)", value=_slots(found.best_utc), inline=False)
    if found.zone != "UTC":
        embed.add_field(name=f"Best posting times ({found.zone})", value=_slots(found.best_local), inline=False)
    embed.set_image(url="attachment://best-times.png")
    embed.set_footer(text=_rate_note(bool(found.platforms)))
    mix_embed = discord.Embed(title="Engagement mix", colour=COLOUR).set_image(url="attachment://mix.png")
    return [embed, mix_embed]
