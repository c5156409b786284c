"""The weekly report poster: the worker queues each community's report in Redis; this posts it where it belongs."""

from __future__ import annotations

import asyncio
import io
import logging
from functools import partial

import discord
from redis.exceptions import RedisError

from bot.polling import PollingCog
from engagement.analytics import Report, best_times_chart, drain_reports, mix_chart, report_text

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 4096


def report_embeds(report: Report) -> list[discord.Embed]:
    """The report as embeds: its text (members shown as mentions), the best-times heat map, the engagement mix."""
    text = report_text(report, name=lambda member: f"<@{member}>")
    if len(text) > MAX_DESCRIPTION:
        text = text[: MAX_DESCRIPTION - 40].rsplit("\n", 1)[0] + "\n… (the full report: python -m worker report)"
    title, _, body = text.partition("\n")
    summary = discord.Embed(title=title, description=body.strip(), colour=discord.Colour.blurple())
    summary.set_image(url="attachment://best-times.png")
    mix = discord.Embed(title="Engagement mix this week", colour=discord.Colour.blurple())
    return [summary, mix.set_image(url="attachment://mix.png")]


async def report_files(report: Report) -> list[discord.File]:
    heat = await asyncio.to_thread(best_times_chart, report.get("time_grid", []), report["zone"])
    mix = await asyncio.to_thread(mix_chart, report["community_type"]["counts"])
    return [discord.File(io.BytesIO(heat), "best-times.png"), discord.File(io.BytesIO(mix), "mix.png")]


class ReportsCog(PollingCog):
    def report_channel(self, guild_id: int | None) -> discord.TextChannel | None:
        """The community's REPORT_CHANNEL in its server, when set and the bot can post there."""
        name = self.services.for_guild(guild_id).settings.report_channel if guild_id else None
        guild = self.bot.get_guild(guild_id) if guild_id else None
        if not name or guild is None:
            return None
        wanted = name.removeprefix("#").casefold()
        channel = discord.utils.find(lambda c: c.name.casefold() == wanted, guild.text_channels)
        if channel is None or guild.me is None:  # its own member not cached: try, Discord refuses if it must
            return channel
        granted = channel.permissions_for(guild.me)
        if not (granted.send_messages and granted.embed_links and granted.attach_files):
            log.warning("cannot post weekly reports in #%s (needs Send Messages, Embed Links, Attach Files)", name)
            return None
        return channel

    async def tick(self) -> int:
        """Post every queued report whose community has a report channel; the rest stay queued."""
        posted = 0
        try:
            for guild_id, store in self.services.communities:
                channel = self.report_channel(guild_id)
                if channel is not None:
                    posted += await drain_reports(store, partial(self._post, channel))
        except RedisError as error:
            log.warning("could not read the queued weekly reports: %s", error)
        return posted

    async def _post(self, channel: discord.TextChannel, report: Report) -> None:
        files = await report_files(report)
        await channel.send(embeds=report_embeds(report), files=files, allowed_mentions=discord.AllowedMentions.none())
        log.info("posted weekly report %s to #%s", report["week"], channel.name)
