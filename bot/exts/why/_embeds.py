"""The /why embed: one line per engagement type, worded for the member."""

from __future__ import annotations

import discord

from bot.exts.stats._embeds import post_link
from engagement.stats import LIKES_NOT_SIGNED_IN
from engagement.why import (
    DELETED_ON_X,
    NOT_SUBMITTED,
    OWN_POST,
    PAID,
    REMOVED,
    REVOKED,
    TRACKED,
    UNNAMED_ON_THREADS,
    WAITING,
    WINDOW_CLOSED,
    Outcome,
    PostWhy,
)
from engagement.x_oauth import NEEDS_REAUTH
from rules.farming import COOLDOWN, DAILY_CAP, LOW_EFFORT_REPLY, REPEATED_REPLY, SHORT_REPLY
from rules.wording import engagement_name, plural

POST_STATES = {
    TRACKED: "Tracked: engagements are read by each batch while the post is in its window.",
    WINDOW_CLOSED: "No longer tracked: the post left its window {window}. Engagements after that are not counted.",
    OWN_POST: "This is your own post: engaging with your own posts earns nothing.",
    NOT_SUBMITTED: "Nobody submitted this post, so engaging with it earns nothing. If it is yours, /submit it.",
    REMOVED: "An admin removed this post from tracking: engagements on it are no longer counted.",
    DELETED_ON_X: "The platform says this post is deleted or private, so it can no longer be read.",
}
REASONS = {
    LIKES_NOT_SIGNED_IN: "not counted: X shows who liked a post only to its author, and @{author} has not signed "
    "in with X",
    NEEDS_REAUTH: "not counted: @{author} must sign in with X again before likes on their posts count",
    WINDOW_CLOSED: "not counted: not seen from @{handle} before the post left its window",
    OWN_POST: "not counted: your own post",
    NOT_SUBMITTED: "not counted: the post is not tracked",
    REMOVED: "not counted: removed by an admin",
    DELETED_ON_X: "not counted: the post is deleted",
    UNNAMED_ON_THREADS: "not counted: Threads does not say who liked, reposted or quoted a post (only replies earn "
    "points there; the rest shows in analytics)",
    # The anti-farming rules this server's admins turned on (README "Anti-farming rules").
    SHORT_REPLY: "not counted: your reply was shorter than this server's minimum (@mentions and links do not count)",
    LOW_EFFORT_REPLY: "not counted: your reply had no words (only emoji, punctuation, @mentions or links)",
    REPEATED_REPLY: "not counted: your reply said the same as one of your replies on another post this week",
    DAILY_CAP: "not counted: you had reached this server's daily limit of awards that day (UTC)",
    COOLDOWN: "not counted: made too soon after the post was submitted (this server's cool-down)",
}


def _when(at: float | None) -> str:
    return f"<t:{int(at)}:R>" if at else "soon"


def outcome_line(outcome: Outcome, found: PostWhy) -> str:
    name = engagement_name(outcome.type).capitalize()
    log = outcome.log
    if outcome.status == PAID and log is not None:
        points = plural(log.points, "point", signed=True)
        return f"**{name}**: paid {points} (batch {log.batch_id}, {_when(log.awarded_at)})"
    if outcome.status == REVOKED and log is not None:
        return f"**{name}**: paid {plural(log.points, 'point')}, then taken back by an admin {_when(log.revoked_at)}"
    if outcome.status == WAITING:
        return f"**{name}**: not seen yet from @{found.member_handle}; the next batch runs {_when(found.next_batch_at)}"
    text = REASONS.get(outcome.reason, "not counted")
    return f"**{name}**: " + text.format(author=found.author_handle, handle=found.member_handle)


def why_embed(found: PostWhy) -> discord.Embed:
    embed = discord.Embed(title="Points for this post", colour=discord.Colour.blurple())
    window = _when(found.window_ends_at)
    embed.description = f"{post_link(found.tweet_id)} · " + POST_STATES[found.post].format(window=window)
    lines = [outcome_line(outcome, found) for outcome in found.outcomes]
    embed.add_field(name="Your engagements", value="\n".join(lines), inline=False)
    embed.set_footer(
        text=f"Only engagements from @{found.member_handle} count: other X accounts earn nothing. "
        "Each engagement is paid once."
    )
    return embed
