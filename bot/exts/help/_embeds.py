"""The /help embed: every figure is the community's own (its rules, limits and batch times)."""

from __future__ import annotations

import discord

from engagement.member_guide import HelpFacts
from rules.wording import earnings_lines, plural, tier_heading


def connect_text(facts: HelpFacts) -> str:
    code = "put the code it gives you in your X bio (or in a post), then press **Verify**"
    if facts.sign_in:
        return (
            "Run `/connect` and press **Sign in with X**: your account is linked at once, and likes on your "
            f"posts count. Or run `/connect handle:@you`, {code}."
        )
    return f"Run `/connect handle:@you`, {code}."


def submit_text(facts: HelpFacts, channel: str) -> str:
    limits = "\n".join(
        f"{facts.tier_names[tier]}: {plural(limit, 'submission')} a day" for tier, limit in facts.daily_limits.items()
    )
    return (
        f"Run `/submit` in {channel} with the link to your own post from the last "
        f"{plural(facts.window_hours, 'hour')}. Each tier's daily limit (the count resets at 00:00 UTC):\n{limits}"
    )


def timing_text(facts: HelpFacts) -> str:
    low, high = facts.batch_interval_min, facts.batch_interval_max
    every = plural(low, "minute") if low == high else f"{low}-{high} minutes"
    text = (
        f"Points are paid in batches, every {every}. A post earns points for "
        f"{plural(facts.window_hours, 'hour')} after it was posted."
    )
    if facts.next_batch_at is not None:
        text += f" The next batch runs <t:{int(facts.next_batch_at)}:R>."
    return text


LIKES_TEXT = (
    "Likes count only on posts whose author signed in with X (X shows who liked a post only to its author). "
    "Reposts, replies and quotes count on every submitted post; engaging with your own post earns nothing."
)


def help_embed(facts: HelpFacts, channel: str) -> discord.Embed:
    embed = discord.Embed(title="How to earn points here", colour=discord.Colour.blurple())
    embed.add_field(name="1. Connect your X account", value=connect_text(facts), inline=False)
    embed.add_field(name="2. Submit your posts", value=submit_text(facts, channel), inline=False)
    earns = "\n".join(earnings_lines(facts.rules))
    embed.add_field(name=f"3. Engage: points by tier ({tier_heading()})", value=earns, inline=False)
    embed.add_field(name="When points arrive", value=timing_text(facts), inline=False)
    embed.add_field(name="Likes", value=LIKES_TEXT, inline=False)
    embed.set_footer(
        text="/stats shows your points, tier and recent awards; /why url what counted on one post and why not; "
        "/insights how your posts do; /leaderboard the top members."
    )
    return embed
