"""What /shop and /shop-admin show: the rewards page, redemption lists and the one-line replies."""

from __future__ import annotations

import discord

from engagement.shop import PayoutAddress, Redeemed, Redemption, RedemptionsPage, Reward, ShopPage, shown
from rules.wording import plural

STATUS_WORDS = {"pending": "⏳ pending", "fulfilled": "✅ fulfilled", "refused": "❌ refused"}


def stock_text(stock: int | None) -> str:
    return "unlimited" if stock is None else "sold out" if stock <= 0 else f"{stock:,} left"


def _reward_lines(reward: Reward, claims: dict[str, int]) -> str:
    lines = [reward.description] if reward.description else []
    facts = [f"Stock: {stock_text(reward.stock)}"]
    if reward.limit is not None:
        facts.append(f"{reward.limit:,} per member (you: {claims.get(reward.id, 0):,})")
    if reward.role_id:
        facts.append(f"grants <@&{reward.role_id}>")
    return "\n".join([*lines, " · ".join(facts)])


def shop_embed(page: ShopPage) -> discord.Embed:
    spend = page.balance
    description = (
        f"You have **{plural(spend.available, 'point')}** to spend ({spend.points:,} all-time, {spend.spent:,} spent "
        "or held). Spending never lowers your score on the leaderboards."
    )
    if not page.rewards:
        description += "\n\nNothing is on offer yet."
    embed = discord.Embed(title="Rewards shop", description=description, colour=discord.Colour.green())
    for reward in page.rewards:
        name = f"{shown(reward.name)} · {plural(reward.cost, 'point')}"
        embed.add_field(name=name, value=_reward_lines(reward, page.claims), inline=False)
    embed.set_footer(text=f"Page {page.page}/{page.pages} · /shop redeem reward:<name> redeems one")
    return embed


def redeemed_text(done: Redeemed) -> str:
    r = done.redemption
    text = f"You redeemed **{shown(r.reward_name)}** for {plural(r.cost, 'point')} (redemption #{r.number}). "
    text += f"You have {plural(done.balance.available, 'point')} left to spend. "
    text += "An admin fulfils it soon; `/shop mine` shows its status."
    if r.role_id:
        text += f" Once fulfilled you get the <@&{r.role_id}> role."
    return text


def redemption_line(r: Redemption, *, who: bool) -> str:
    line = (
        f"**#{r.number}** {shown(r.reward_name)} · {plural(r.cost, 'point')} · {STATUS_WORDS.get(r.status, r.status)}"
    )
    if who:
        line += f" · <@{r.discord_id}>"
    line += f" · <t:{int(r.requested_at)}:R>"
    if r.reason:
        line += f" ({shown(r.reason)})"
    return line


def redemptions_embed(page: RedemptionsPage, *, title: str, empty: str, who: bool) -> discord.Embed:
    lines = [redemption_line(r, who=who) for r in page.redemptions]
    embed = discord.Embed(title=title, description="\n".join(lines) or empty, colour=discord.Colour.green())
    embed.set_footer(text=f"Page {page.page}/{page.pages} · {plural(page.total, 'redemption')}")
    return embed


def address_text(address: PayoutAddress | None) -> str:
    if address is None:
        return (
            "You have no payout address. `/shop address value:<address>` registers one: an EVM address (0x and 40 "
            "hex digits) or a Solana address."
        )
    return (
        f"Your payout address: `{address.address}` ({address.chain_name}). Admins export it with the payouts CSV "
        "for a season's payout; this bot never sends anything on-chain."
    )


def reward_text(reward: Reward) -> str:
    parts = [plural(reward.cost, "point"), f"stock {stock_text(reward.stock)}"]
    parts.append(f"{reward.limit:,} per member" if reward.limit is not None else "no limit per member")
    if reward.role_id:
        parts.append(f"grants <@&{reward.role_id}>")
    return f"**{shown(reward.name)}** (reward #{reward.id}): " + ", ".join(parts)


def decided_text(r: Redemption) -> str:
    what = f"Redemption #{r.number} (**{shown(r.reward_name)}**, {plural(r.cost, 'point')}, by <@{r.discord_id}>)"
    if r.status == "refused":
        return f"{what} is refused ({shown(r.reason)}): the points are back in their balance and the stock is restored."
    return f"{what} is fulfilled."
