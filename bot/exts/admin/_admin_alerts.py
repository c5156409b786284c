"""Posts the alerts the worker queued in Redis to ALERT_CHANNEL, and keeps the run-time configuration fresh.

When Redis cannot be reached the bot says so itself (the worker cannot: it has
no Discord connection), at most once an hour, and queues a summary on recovery.
"""

from __future__ import annotations

import logging
from functools import partial

import discord
from discord.ext import tasks
from redis.exceptions import RedisError

from bot.bot import EngagementBot, FeatureCog
from bot.exts.admin._admin_runtime import RuntimeSettings
from engagement.alerts import Alert, OutageTracker, drain_alerts
from engagement.storage import STORAGE_FULL, StorageWatch, read_storage_use
from engagement.x_oauth import MemberNotice

log = logging.getLogger(__name__)

POLL_SECONDS = 15.0
NOTICES_PER_ROUND = 20
MAX_MESSAGE = 1900


def alert_text(alert: Alert) -> str:
    stamp = f" <t:{alert.at}:f>" if alert.at else ""
    return f"**Alert · {alert.type}**{stamp}\n{alert.message}"[:MAX_MESSAGE]


class AlertsCog(FeatureCog):
    def __init__(self, bot: EngagementBot, runtime: RuntimeSettings) -> None:
        super().__init__(bot)
        self.runtime = runtime
        self.outage = OutageTracker(bot.services.clock)
        self.storage = StorageWatch(bot.services.clock)
        self._warned_missing: str | None = None

    async def cog_load(self) -> None:
        self.poll.start()

    async def cog_unload(self) -> None:
        self.poll.cancel()

    def alert_channel(self, guild_id: int | None = None) -> discord.TextChannel | None:
        """The text channel named by the community's ALERT_CHANNEL in its server (the home one by default)."""
        guild_id = guild_id or self.services.settings.discord_guild_id
        if guild_id is None:
            return None
        name = self.services.for_guild(guild_id).settings.alert_channel
        guild = self.bot.get_guild(guild_id) if guild_id else None
        if not name or guild is None:
            return None
        wanted = name.removeprefix("#").casefold()
        for channel in guild.text_channels:
            if channel.name.casefold() == wanted:
                return channel
        if self._warned_missing != name:
            log.warning("ALERT_CHANNEL %r is not a text channel the bot can see; alerts stay queued", name)
            self._warned_missing = name
        return None

    async def tick(self) -> int:
        """One round: apply the admins' configuration, post queued alerts; returns how many were posted.

        Each community's alerts go to its own alert channel; Redis down or full (the deployment's, not one
        community's) go to the home community's.
        """
        channel = None
        try:
            await self.runtime.apply()
            await self.outage.recovered(self.services.store)
            channel = self.alert_channel()
            full = self.storage.alert_text(await read_storage_use(self.services.store))
            if full is not None and channel is not None:  # posted directly: Redis refuses the write queueing needs
                await self._post(channel, Alert(STORAGE_FULL, full, int(self.services.clock())))
            posted = 0
            for guild_id, store in self.services.communities:
                target = self.alert_channel(guild_id)
                if target is not None:
                    posted += await drain_alerts(store, partial(self._post, target))
            return posted + await self._send_member_notices()
        except RedisError as error:  # a failed post is Discord's problem, handled by the caller
            direct = self.outage.failed(error)
            channel = channel or self.alert_channel()
            if direct is not None and channel is not None:
                await self._post(channel, direct)
            return 0

    async def _send_member_notices(self) -> int:
        """DM the notices the worker queued for members (a Sign in with X that X stopped accepting); a member who
        takes no DMs is not asked again (their /stats says the same)."""
        shared, sent = self.services.communities.shared, 0
        for _ in range(NOTICES_PER_ROUND):
            raw = await shared.pop_member_notice()
            if raw is None:
                break
            notice = MemberNotice.from_json(raw)
            if notice is None:
                log.warning("a queued member notice is unreadable; dropped")
                continue
            try:
                user = await self.bot.fetch_user(int(notice.discord_id))
                await user.send(notice.text)
                sent += 1
            except (discord.Forbidden, discord.NotFound):
                log.info("member %s takes no DMs from the bot; the notice is dropped", notice.discord_id)
            except discord.HTTPException:
                await shared.return_member_notice(raw)  # Discord's trouble: the next round tries again
                raise
        return sent

    async def _post(self, channel: discord.TextChannel, alert: Alert) -> None:
        await channel.send(alert_text(alert), allowed_mentions=discord.AllowedMentions.none())

    @tasks.loop(seconds=POLL_SECONDS)
    async def poll(self) -> None:
        try:
            await self.tick()
        except discord.HTTPException as error:  # the alert went back to the queue; try again next round
            log.warning("could not post an alert: %s", error)

    @poll.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()
