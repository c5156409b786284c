"""The /stats embed."""

from __future__ import annotations

import discord

from engagement.models import AwardLog
from engagement.platforms import X, platform_of
from engagement.stats import LIKES_COUNTED, LIKES_NOT_SIGNED_IN, BoardStanding, MemberStats
from engagement.validation import ENGAGEMENT_TYPES
from engagement.why import NotCounted
from engagement.x_oauth import NEEDS_REAUTH
from rules.wording import engagement_name, noun, plural

# Column labels of the admins' rule table (bot/exts/admin).
TYPE_LABELS = {"like": "Likes", "retweet": "Reposts", "reply": "Replies", "quote": "Quotes"}


def standing(board: BoardStanding) -> str:
    if board.rank is None:
        return "No points yet"
    return f"**{board.points:,}** {noun(board.points, 'point')} · rank **#{board.rank}**"


def post_link(tweet_id: str) -> str:
    """A post named as a link (X redirects /i/status/<id> to the post, whoever wrote it). A Threads post's link
    needs its shortcode, which an award does not keep: it is named by platform."""
    if platform_of(tweet_id) != X:
        return "a Threads post"
    return f"[post](https://x.com/i/status/{tweet_id})"


def award_line(award: AwardLog) -> str:
    when = f"<t:{award.awarded_at}:R>"
    if award.reason:
        return f"{award.points:+,} adjustment: {award.reason} {when}"
    points = plural(award.points, "point", signed=True)
    campaign = f" (campaign x{award.multiplier})" if award.multiplier else ""
    return f"{points}{campaign} for a {engagement_name(award.type)} on {post_link(award.tweet_id)} {when}"


def not_counted_lines(found: NotCounted) -> list[str]:
    """What cannot earn the member points among the posts tracked now, and when the rest is read."""
    lines = []
    if found.likes_uncounted:
        authors = ", ".join(f"@{handle}" for handle in found.authors)
        lines.append(
            f"Your likes on {plural(found.likes_uncounted, 'tracked post')} (by {authors}) are not counted: "
            "X shows who liked a post only to its author, and they have not signed in with X."
        )
    if found.own:
        lines.append(
            f"{plural(found.own, 'tracked post')} {'is' if found.own == 1 else 'are'} your own: engaging "
            "with your own posts earns nothing."
        )
    when = f"<t:{int(found.next_batch_at)}:R>" if found.next_batch_at else "soon"
    lines.append(
        f"Engagements from @{found.member_handle} not paid yet are read by the next batch ({when}); "
        "other X accounts earn nothing."
    )
    lines.append("One post: `/why url` says what counted and why not.")
    return lines


def stats_embed(stats: MemberStats, member: discord.abc.User, uncounted: NotCounted | None = None) -> discord.Embed:
    account = f" (@{stats.handle})" if stats.handle else ""
    embed = discord.Embed(title=f"Stats for {member.display_name}{account}", colour=discord.Colour.blurple())
    embed.add_field(name="All-time", value=standing(stats.alltime))
    embed.add_field(name="This week", value=standing(stats.weekly))
    embed.add_field(name="Tier", value=f"{stats.tier} · {stats.tier_name}")
    counts = " · ".join(plural(stats.counts.get(kind, 0), engagement_name(kind)) for kind in ENGAGEMENT_TYPES)
    embed.add_field(name="Engagements", value=counts, inline=False)
    recent = "\n".join(award_line(award) for award in stats.recent) or "None yet"
    embed.add_field(name="Recent awards", value=recent, inline=False)
    if uncounted is not None:
        embed.add_field(name="Not counted, and why", value="\n".join(not_counted_lines(uncounted)), inline=False)
    if stats.threads_username:
        embed.add_field(name="Threads", value=threads_note(stats), inline=False)
    if stats.handle:  # a member connected on Threads only has no X likes to speak of
        embed.set_footer(text=LIKES_NOTES[stats.likes].format(handle=stats.handle))
    return embed


THREADS_NOTE = (
    "@{name} connected. Replies by other members to your Threads posts earn points; likes, reposts, quotes and "
    "shares there count in analytics only: Threads does not say who gave them."
)
THREADS_REAUTH = (
    "@{name}: Threads no longer accepts your connection, so your Threads posts are not read for now. "
    "/connect platform:threads fixes it."
)


def threads_note(stats: MemberStats) -> str:
    note = THREADS_REAUTH if stats.threads_status == "needs_reauth" else THREADS_NOTE
    return note.format(name=stats.threads_username)


LIKES_NOTES = {
    LIKES_COUNTED: "Likes on @{handle}'s posts count (signed in with X). X lists at most about 100 likers of a "
    "post: likes beyond those cannot be paid.",
    NEEDS_REAUTH: "Likes on @{handle}'s posts are not counted now: X no longer accepts the sign-in. "
    "/connect and Sign in with X again fixes it.",
    LIKES_NOT_SIGNED_IN: "Likes on @{handle}'s posts are not counted: X shows who liked a post only to its "
    "author. /connect and Sign in with X makes them count.",
}
