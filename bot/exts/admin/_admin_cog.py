"""/admin: the original admin panel's tabs as slash commands (admins only, checked when each command runs)."""

from __future__ import annotations

import io
from functools import partial
from typing import Any, Literal

import discord
from discord import app_commands

from bot.bot import EngagementBot, FeatureCog
from bot.exts.admin._admin_embeds import (
    batch_embed,
    batches_embed,
    config_embed,
    config_line,
    overview_embed,
    rules_embed,
    tweets_embed,
)
from bot.exts.admin._admin_runtime import RuntimeSettings
from bot.exts.admin._checks import admin_only
from bot.exts.admin._confirm import Action, ask
from bot.exts.admin._setup import setup_report
from bot.views import PageRenderer, Paginator
from engagement import admin as core
from engagement.admin import CONFIG_FIELDS, MAX_ADJUSTMENT
from engagement.admin._config import config_change
from engagement.confirmations import check_adjustment, check_delete
from engagement.stats import parse_board
from engagement.store import Store
from engagement.tweet_list import community_tweets
from rules.wording import plural


def _actor(interaction: discord.Interaction) -> str:
    return str(interaction.user.id)


def _display_names(guild: discord.Guild | None) -> dict[str, str]:
    """Names of the members this bot has seen (no member intent: the rest export with an empty name)."""
    return {str(member.id): member.display_name for member in guild.members} if guild else {}


async def _choices(current: str, names: tuple[str, ...] | list[str]) -> list[app_commands.Choice[str]]:
    wanted = current.strip().lower()
    return [app_commands.Choice(name=name, value=name) for name in names if wanted in name][:25]


class AdminCog(FeatureCog):
    admin = app_commands.Group(
        name="admin",
        description="Admin tools: tweets, rules, leaderboard export, batches, points, config.",
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False),
        default_permissions=discord.Permissions(manage_guild=True),
    )
    rules = app_commands.Group(name="rules", description="The point table.", parent=admin)

    def __init__(self, bot: EngagementBot, runtime: RuntimeSettings) -> None:
        super().__init__(bot)
        self.runtime = runtime

    async def cog_load(self) -> None:
        await self.runtime.apply()

    def _store(self, interaction: discord.Interaction) -> Store:
        """The store of the community the admin acts in: nothing they do reaches another community's data."""
        return self.community(interaction).store

    async def _confirm(self, interaction: discord.Interaction, question: str, action: Action) -> None:
        await ask(interaction, question, action, expires_in=self.bot.view_timeout, clock=self.services.clock)

    async def _send_pages(self, interaction: discord.Interaction, render: PageRenderer, index: int) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # a page may read every record
        embed, index, pages = await render(index)
        extra: dict[str, Any] = {}
        if pages > 1:
            view = Paginator(interaction.user.id, render, index, pages, timeout=self.bot.view_timeout)
            view.source = interaction
            extra["view"] = view
        await interaction.followup.send(embed=embed, ephemeral=True, **extra)  # replaces the "thinking" message

    @admin.command(name="overview", description="Tracking, batches and monitoring at a glance.")
    @admin_only()
    async def overview(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # the figures scan the keyspace
        shown = await core.overview(self._store(interaction), self.services.settings.batch_window_hours)
        await interaction.followup.send(embed=overview_embed(shown), ephemeral=True)

    @admin.command(name="setup", description="Check the setup: channels, the bot's permissions, X, the worker.")
    @admin_only()
    async def setup(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # asks X
        report = await setup_report(self.community(interaction), interaction.guild)
        await interaction.followup.send(report, ephemeral=True)

    @admin.command(name="tweets", description="Submitted tweets with their last metrics and points awarded.")
    @app_commands.describe(category="Only this category", page="Page number, from 1")
    @admin_only()
    async def tweets(self, interaction: discord.Interaction, category: str | None = None, page: int = 1) -> None:
        async def render(index: int) -> tuple[discord.Embed, int, int]:
            categories = self.community(interaction).settings.categories
            shown = await community_tweets(self._store(interaction), categories, category, index + 1)
            return tweets_embed(shown), shown.page - 1, shown.pages

        await self._send_pages(interaction, render, page - 1)

    @tweets.autocomplete("category")
    async def _category_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await _choices(current, self.community(interaction).settings.categories)

    @admin.command(
        name="tweets-delete", description="Stop tracking a submitted tweet; revoke:True also takes back its points."
    )
    @app_commands.describe(
        tweet="The tweet's link or id", reason="Why (kept in the audit log)", revoke="Reverse its awards (confirmed)"
    )
    @admin_only()
    async def tweets_delete(
        self, interaction: discord.Interaction, tweet: str, reason: str | None = None, revoke: bool = False
    ) -> None:
        store = self._store(interaction)
        if not revoke:
            await interaction.response.defer(ephemeral=True, thinking=True)  # reads every award of the tweet
            await self._delete_tweet(interaction, store, tweet, reason or "", revoke=False)
            return
        checked = await check_delete(store, tweet, reason or "")  # a bad or unknown tweet: refused before asking

        async def delete(answer: discord.Interaction) -> None:
            await answer.response.defer()  # reads every award of the tweet
            await self._delete_tweet(answer, store, checked.tweet_id, checked.reason, revoke=True)

        s = checked.submission
        question = (
            f"Stop tracking tweet {s.tweet_id} (submitted by <@{s.submitter_discord_id}>) **and take back every "
            "point it paid**? Members lose those points on both boards."
        )
        await self._confirm(interaction, question, delete)

    async def _delete_tweet(
        self, interaction: discord.Interaction, store: Store, tweet: str, reason: str, *, revoke: bool
    ) -> None:
        """Delete (the interaction is deferred) and say what was done, replacing the thinking or the question."""
        done = await core.delete_tweet(store, _actor(interaction), tweet, revoke=revoke, reason=reason)
        s = done.submission
        text = f"Tweet {s.tweet_id} (submitted by <@{s.submitter_discord_id}>) is no longer tracked. "
        if done.revoked:
            text += f"Revoked {plural(done.revoked_awards, 'award')} ({plural(done.revoked_points, 'point')})."
        else:
            text += "Points already awarded for it stay."
        if interaction.type is discord.InteractionType.component:
            await interaction.edit_original_response(content=text, view=None)
        else:
            await interaction.followup.send(text, ephemeral=True)

    @rules.command(name="show", description="The points each tier earns per engagement type.")
    @admin_only()
    async def rules_show(self, interaction: discord.Interaction) -> None:
        view = await core.show_rules(self._store(interaction))
        await interaction.response.send_message(embed=rules_embed(view), ephemeral=True)

    @rules.command(name="set", description="Change the points of one tier and type (from the next batch).")
    @app_commands.describe(tier="1 Basic, 2 Active, 3 Power", kind="Engagement type", points="0 to 1000")
    @app_commands.rename(kind="type")
    @admin_only()
    async def rules_set(
        self,
        interaction: discord.Interaction,
        tier: app_commands.Range[int, 1, 3],
        kind: Literal["like", "retweet", "reply", "quote"],
        points: app_commands.Range[int, 0, 1000],
    ) -> None:
        old, new = await core.set_rule(self._store(interaction), _actor(interaction), tier, kind, points)
        await interaction.response.send_message(
            f"Tier {tier} {kind}: {old} → {plural(new, 'point')}, from the next batch.", ephemeral=True
        )

    @rules.command(name="reset", description="Back to the default point table.")
    @admin_only()
    async def rules_reset(self, interaction: discord.Interaction) -> None:
        store, actor = self._store(interaction), _actor(interaction)

        async def reset(answer: discord.Interaction) -> None:
            changed = await core.reset_rules(store, actor)
            view = await core.show_rules(store)
            text = f"Rules reset to the defaults ({plural(changed, 'changed rule')} removed), from the next batch."
            await answer.response.edit_message(content=text, embed=rules_embed(view), view=None)

        question = "Reset **every** point rule to the default table (from the next batch)?"
        await self._confirm(interaction, question, reset)

    @admin.command(name="leaderboard-export", description="The leaderboard as a CSV file.")
    @app_commands.describe(board="Which board")
    @admin_only()
    async def leaderboard_export(
        self, interaction: discord.Interaction, board: Literal["alltime", "weekly"] = "alltime"
    ) -> None:
        weekly = parse_board(board)
        await interaction.response.defer(ephemeral=True, thinking=True)
        names = _display_names(interaction.guild)
        export = await core.leaderboard_csv(self._store(interaction), _actor(interaction), weekly, names)
        file = discord.File(io.BytesIO(export.csv_text.encode()), filename=export.filename)
        text = f"Exported {export.board}: {plural(export.rows, 'row')} (one per member)."
        await interaction.followup.send(text, file=file, ephemeral=True)

    @admin.command(name="batches", description="Batch history: status, duration, awards, requests and cost.")
    @app_commands.describe(page="Page number, from 1")
    @admin_only()
    async def batches(self, interaction: discord.Interaction, page: int = 1) -> None:
        async def render(index: int) -> tuple[discord.Embed, int, int]:
            shown = await core.batch_history(self._store(interaction), index + 1)
            return batches_embed(shown), shown.page - 1, shown.pages

        await self._send_pages(interaction, render, page - 1)

    @admin.command(name="batch", description="One batch in detail.")
    @app_commands.describe(batch_id="The batch number")
    @admin_only()
    async def batch(self, interaction: discord.Interaction, batch_id: int) -> None:
        record = await core.batch_details(self._store(interaction), batch_id)
        await interaction.response.send_message(embed=batch_embed(record), ephemeral=True)

    @admin.command(name="batch-run", description="Run a batch now (refused while one is running).")
    @admin_only()
    async def batch_run(self, interaction: discord.Interaction) -> None:
        await core.request_batch_run(self._store(interaction), _actor(interaction))
        await interaction.response.send_message(
            "Batch requested: the worker starts it within seconds. See `/admin batches`.", ephemeral=True
        )

    @admin.command(name="points-adjust", description="Add or remove points by hand, with a reason.")
    @app_commands.describe(
        member="The member", delta="Points to add (negative to remove), -10,000 to 10,000", reason="Why"
    )
    @admin_only()
    async def points_adjust(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        delta: app_commands.Range[int, -MAX_ADJUSTMENT, MAX_ADJUSTMENT],
        reason: str,
    ) -> None:
        checked = check_adjustment(delta, reason)  # a bad amount or reason is refused before anything is asked
        store, actor = self._store(interaction), _actor(interaction)

        async def adjust(answer: discord.Interaction, *, confirmed: bool) -> None:
            done = await core.adjust_points(store, actor, member.id, checked.delta, checked.reason)
            added = plural(done.delta, "point", signed=True)
            text = f"{member.mention}: {added} ({done.reason}); all-time total {done.total}."
            if confirmed:
                await answer.response.edit_message(content=text, view=None)
            else:
                await answer.response.send_message(text, ephemeral=True)

        if not checked.needs_confirmation:
            await adjust(interaction, confirmed=False)
            return
        added = plural(checked.delta, "point", signed=True)
        question = f"{added} for {member.mention} ({checked.reason})? That is a large adjustment."
        await self._confirm(interaction, question, partial(adjust, confirmed=True))

    @admin.command(name="config", description="Show the run-time configuration, or one setting, or change one.")
    @app_commands.describe(
        setting="Which setting (alone: shows its current value)",
        value="The new value",
        channel="The channel (for submission_channel, alert_channel and report_channel; stored by name)",
        role="The role (for admin_role_ids and core_role_ids; picked from the server's roles, never typed)",
        reset="Back to the environment's value",
    )
    @admin_only()
    async def config(
        self,
        interaction: discord.Interaction,
        setting: str | None = None,
        value: str | None = None,
        channel: discord.TextChannel | None = None,
        role: discord.Role | None = None,
        reset: bool = False,
    ) -> None:
        store, actor = self._store(interaction), _actor(interaction)
        picked_role = (role.id, role.is_default()) if role is not None else None
        setting, value = config_change(setting, value, picked_role, channel.name if channel else None, reset)
        if setting is not None and value is None and not reset:
            entry = await core.show_setting(self.runtime.base, store, setting)
            await interaction.response.send_message(config_line(entry), ephemeral=True)
            return
        text = ""
        if setting is not None and reset:
            old = await core.reset_config(store, actor, setting)
            text = f"`{setting}` is back to the environment's value (was `{old or 'not set'}`)."
        elif setting is not None:
            old, new = await core.set_config(store, actor, setting, value)
            text = f"`{setting}` set to `{new}` (was `{old or 'not set'}`)."
        await self.runtime.apply()
        entries = await core.show_config(self.runtime.base, store)
        await interaction.response.send_message(text or None, embed=config_embed(entries), ephemeral=True)

    @config.autocomplete("setting")
    async def _setting_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await _choices(current, list(CONFIG_FIELDS))
