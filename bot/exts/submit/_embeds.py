"""What /submit shows: the public announcement and the submitter's private confirmation."""

from __future__ import annotations

import discord

from engagement.submissions import SubmitResult

ANNOUNCEMENT_TEXT_LIMIT = 300
X_BLUE = discord.Colour(0x1D9BF0)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def announcement(result: SubmitResult, submitter: discord.abc.User) -> discord.Embed:
    submission = result.submission
    handle = submission.author_handle
    embed = discord.Embed(
        title=f"New post by @{handle}",
        url=submission.url,
        description=_shorten(result.tweet.text, ANNOUNCEMENT_TEXT_LIMIT) or None,
        colour=X_BLUE,
        timestamp=result.tweet.created_at,
    )
    embed.add_field(name="Author", value=f"[@{handle}](https://x.com/{handle})")
    embed.add_field(name="Category", value=submission.category)
    embed.add_field(name="Submitted by", value=submitter.mention)
    embed.set_footer(text="Like, repost, reply or quote it on X to earn points.")
    return embed


def confirmation(result: SubmitResult, *, announced: bool = True) -> str:
    first = (
        f"Submitted and announced: {result.submission.url}"
        if announced
        else f"Submitted and tracked: {result.submission.url}, but I could not post the announcement "
        "in this channel (check my permissions here); no need to submit it again."
    )
    return (
        f"{first}\n"
        f"Submissions left today: {result.remaining_today} of {result.daily_limit} (the count resets at 00:00 UTC)."
    )
