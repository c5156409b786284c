"""The /submit command: the channel check here, every other check in `engagement.submissions`."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.bot import FeatureCog
from bot.exts.submit._embeds import announcement, confirmation, intent_buttons
from engagement.connections import remember_display_name
from engagement.errors import Refused
from engagement.member_guide import post_earnings
from engagement.submissions import matching_categories, submit_tweet

log = logging.getLogger(__name__)


class SubmitCog(FeatureCog):
    @app_commands.command(name="submit", description="Submit your tweet so other members engage with it.")
    @app_commands.describe(url="The link to your tweet", category="What kind of post it is")
    @app_commands.guild_only()
    async def submit(
        self, interaction: discord.Interaction, url: app_commands.Range[str, 1, 500], category: str | None = None
    ) -> None:
        channel = self._submission_channel(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # the tweet is looked up on X
        result = await submit_tweet(self.community(interaction), str(interaction.user.id), url, category)
        await remember_display_name(
            self.community(interaction), str(interaction.user.id), interaction.user.display_name
        )
        submission = result.submission
        earnings = await post_earnings(self.community(interaction), submission.author_x_id)
        embed = announcement(result, interaction.user, earnings)
        try:
            await channel.send(embed=embed, view=intent_buttons(submission.tweet_id, submission.url))
        except discord.HTTPException as error:  # e.g. no permission to post there
            # The submission is stored and tracked either way: say so, rather than invite a retry.
            log.warning("could not announce submission %s in #%s: %s", result.submission.id, channel, error)
            await interaction.followup.send(confirmation(result, announced=False), ephemeral=True)
            return
        await interaction.followup.send(confirmation(result), ephemeral=True)

    @submit.autocomplete("category")
    async def category_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = matching_categories(self.community(interaction).settings, current)
        return [app_commands.Choice(name=name, value=name) for name in names]

    def _submission_channel(self, interaction: discord.Interaction) -> discord.abc.Messageable:
        """The channel the command ran in, if it is the submissions channel; otherwise a pointer to it."""
        wanted = self.community(interaction).settings.submission_channel
        channel = interaction.channel
        name = getattr(channel, "name", None)
        if isinstance(channel, discord.abc.Messageable) and name and name.casefold() == wanted.casefold():
            return channel
        guild = interaction.guild
        target = discord.utils.get(guild.text_channels, name=wanted) if guild else None
        where = target.mention if target else f"#{wanted}"
        raise Refused(f"Tweets are submitted in {where}. Please run /submit there.")
