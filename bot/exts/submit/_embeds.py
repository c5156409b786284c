"""What /submit shows: the public announcement and the submitter's private confirmation."""

from __future__ import annotations

from urllib.parse import quote

import discord

from engagement.member_guide import PostEarnings
from engagement.platforms import THREADS, platform_of
from engagement.submissions import SubmitResult
from rules.wording import earnings_lines, engagement_name, tier_heading

ANNOUNCEMENT_TEXT_LIMIT = 300
X_BLUE = discord.Colour(0x1D9BF0)
THREADS_BLACK = discord.Colour(0x101010)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def earnings_text(earnings: PostEarnings, handle: str) -> str:
    """What each engagement earns on this post by tier; likes only where the author's likers can be read."""
    if earnings.likes_counted:
        return "\n".join(earnings_lines(earnings.rules))
    not_counted = f"Like: not counted on this post (@{handle} has not signed in with X)"
    return "\n".join([not_counted, *earnings_lines(earnings.rules, ("retweet", "reply", "quote"))])


def intent_buttons(tweet_id: str, url: str) -> discord.ui.View:
    """Link buttons that open X's own intents for the post (nothing comes back to the bot); a Threads post gets
    one button that opens it (Threads has no intent links: members reply there)."""
    if platform_of(tweet_id) == THREADS:
        view = discord.ui.View(timeout=None)
        view.add_item(discord.ui.Button(label="Reply on Threads", style=discord.ButtonStyle.link, url=url))
        return view
    intents = {
        "like": f"https://x.com/intent/like?tweet_id={tweet_id}",
        "retweet": f"https://x.com/intent/retweet?tweet_id={tweet_id}",
        "reply": f"https://x.com/intent/tweet?in_reply_to={tweet_id}",
        "quote": f"https://x.com/intent/tweet?url={quote(url, safe='')}",
    }
    view = discord.ui.View(timeout=None)
    for kind, link in intents.items():
        view.add_item(
            discord.ui.Button(label=engagement_name(kind).capitalize(), style=discord.ButtonStyle.link, url=link)
        )
    return view


THREADS_FOOTER = (
    "Reply to it on Threads with the button below to earn points. Likes and reposts on Threads count in "
    "analytics only: Threads does not say who gave them."
)


def announcement(result: SubmitResult, submitter: discord.abc.User, earnings: PostEarnings) -> discord.Embed:
    submission = result.submission
    handle = submission.author_handle
    if submission.platform == THREADS:
        embed = _post_embed(result, submitter, f"New Threads post by @{handle}", THREADS_BLACK,
                            f"https://www.threads.net/@{handle}")  # fmt: skip
        replies = "\n".join(earnings_lines(earnings.rules, ("reply",)))
        embed.add_field(name=f"Points by tier ({tier_heading()})", value=replies, inline=False)
        return embed.set_footer(text=THREADS_FOOTER)
    embed = _post_embed(result, submitter, f"New post by @{handle}", X_BLUE, f"https://x.com/{handle}")
    embed.add_field(name=f"Points by tier ({tier_heading()})", value=earnings_text(earnings, handle), inline=False)
    ways = "Like, repost, reply or quote" if earnings.likes_counted else "Repost, reply or quote"
    return embed.set_footer(text=f"{ways} it on X with the buttons below to earn points.")


def _post_embed(
    result: SubmitResult, submitter: discord.abc.User, title: str, colour: discord.Colour, author_url: str
) -> discord.Embed:
    """The announcement's head, the same on every platform: the post, its author, category and submitter."""
    submission = result.submission
    embed = discord.Embed(
        title=title,
        url=submission.url,
        description=_shorten(result.tweet.text, ANNOUNCEMENT_TEXT_LIMIT) or None,
        colour=colour,
        timestamp=result.tweet.created_at,
    )
    embed.add_field(name="Author", value=f"[@{submission.author_handle}]({author_url})")
    embed.add_field(name="Category", value=submission.category)
    embed.add_field(name="Submitted by", value=submitter.mention)
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
