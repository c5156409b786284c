"""At a season's end: freeze it and post its results (reward zone, the whole board as CSV) in the submissions
channel; posted at least once (marked only after Discord took the message), never lost."""

from __future__ import annotations

import io
import logging

import discord
from redis.exceptions import RedisError

from bot.exts.seasons._embeds import results_text
from bot.polling import PollingCog
from engagement.seasons import end_due_season, season_results, unannounced

log = logging.getLogger(__name__)


class SeasonResultsCog(PollingCog):
    def channel(self, guild_id: int | None) -> discord.TextChannel | None:
        guild = self.bot.get_guild(guild_id) if guild_id else None
        if guild is None:
            return None
        wanted = self.services.for_guild(guild_id).settings.submission_channel.casefold()
        return discord.utils.find(lambda c: c.name.casefold() == wanted, guild.text_channels)

    async def tick(self) -> int:
        """End every community's season that is due, and post the results not posted yet; returns how many."""
        posted = 0
        try:
            for guild_id, store in self.services.communities:
                await end_due_season(store)
                channel = self.channel(guild_id)
                if channel is None:
                    continue
                services = self.services.for_guild(guild_id)
                for season in await unannounced(store):
                    winners, table = await season_results(services, season)
                    file = discord.File(io.BytesIO(table.encode()), filename=f"season-{season.id}.csv")
                    await channel.send(results_text(season, winners), file=file)
                    await store.mark_announced(season.id)
                    posted += 1
        except RedisError as error:
            log.warning("could not check the seasons: %s", error)
        return posted
