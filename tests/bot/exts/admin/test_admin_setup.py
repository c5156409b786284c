"""/admin setup: one line per check (channels and the bot's permissions there, the X token, the worker)."""

from __future__ import annotations

from typing import Any

from engagement.heartbeat import STALE_AFTER_SECONDS, beat
from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_ROLE
from tests.bot.exts.admin.admin_commands import Channel, admin
from tests.conftest import FakeClock
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness, Reply
from tests.fakes.discord_payloads import (
    BOT_USER_ID,
    GUILD_ID,
    OTHER_CHANNEL_ID,
    SUBMIT_CHANNEL_ID,
    guild_create_payload,
    member_payload,
    user_payload,
)

SEND_MESSAGES, EMBED_LINKS, VIEW_CHANNEL = 1 << 11, 1 << 14, 1 << 10
SUBMISSIONS = "Submissions channel #engagement-tracker"


def join_with_the_bot(discord: DiscordHarness, *, denied: dict[int, int] | None = None, drop: int = 0) -> None:
    """GUILD_CREATE as Discord sends it to the bot: its own member included; `denied` permissions per channel
    (an overwrite for the bot's member), the channel `drop` left out."""
    payload = guild_create_payload(discord.guild_id)
    payload["members"] = [member_payload(user_payload(BOT_USER_ID, "engagement-bot", bot=True))]
    channels: list[dict[str, Any]] = []
    for channel in payload["channels"]:
        home_id = int(channel["id"]) - discord.guild_id + GUILD_ID
        if home_id == drop:
            continue
        deny = (denied or {}).get(home_id)
        if deny:
            channel["permission_overwrites"] = [{"id": str(BOT_USER_ID), "type": 1, "allow": "0", "deny": str(deny)}]
        channels.append(channel)
    payload["channels"] = channels
    discord.bot._connection.parsers["GUILD_CREATE"](payload)


async def setup(discord: DiscordHarness, keyspace: Keyspace) -> tuple[Reply, dict[str, str]]:
    """Run /admin setup (it changes nothing); returns the reply and `check name -> its line`."""
    before = await keyspace()
    reply = await admin(discord, "setup", member=ADMIN_BY_ROLE)
    assert await keyspace() == before
    assert reply.last.ephemeral
    lines = reply.last.content.splitlines()[1:]
    return reply, {line.split("**")[1]: line for line in lines}


async def test_a_fine_setup_says_so(discord: DiscordHarness, keyspace: Keyspace, store: Store) -> None:
    join_with_the_bot(discord)
    await beat([store])
    reply, checks = await setup(discord, keyspace)
    assert reply.deferred
    assert reply.last.content.splitlines()[0] == "Setup check: everything is ready."
    assert checks == {
        SUBMISSIONS: f"✅ **{SUBMISSIONS}**: the bot can post and embed links there.",
        "Alert channel": "✅ **Alert channel**: not set (optional): alerts wait in Redis until "
        "`/admin config setting:alert_channel` names one.",
        "Report channel": "✅ **Report channel**: not set (optional): weekly reports wait in Redis until "
        "`/admin config setting:report_channel` names one.",
        "X bearer token": "✅ **X bearer token**: X accepts it.",
        "Threads app": "✅ **Threads app**: not set up (optional): set THREADS_APP_ID and THREADS_APP_SECRET to "
        "track Threads posts.",
        "Worker": "✅ **Worker**: running.",
    }


async def test_a_missing_submissions_channel(discord: DiscordHarness, keyspace: Keyspace, store: Store) -> None:
    join_with_the_bot(discord, drop=SUBMIT_CHANNEL_ID)
    await beat([store])
    reply, checks = await setup(discord, keyspace)
    assert reply.last.content.splitlines()[0] == "Setup check: 1 to fix."
    assert checks[SUBMISSIONS] == (
        f"❌ **{SUBMISSIONS}**: no text channel of that name exists (or the bot cannot see it): create it, or pick "
        "another with `/admin config setting:submission_channel`."
    )


async def test_no_permission_to_post_or_embed(discord: DiscordHarness, keyspace: Keyspace, store: Store) -> None:
    join_with_the_bot(discord, denied={SUBMIT_CHANNEL_ID: SEND_MESSAGES})
    await beat([store])
    _, checks = await setup(discord, keyspace)
    assert checks[SUBMISSIONS] == (  # Discord takes Embed Links away where a member cannot send
        f"❌ **{SUBMISSIONS}**: the bot lacks Send Messages and Embed Links there: allow its role Send Messages and "
        "Embed Links in that channel, or pick another with `/admin config setting:submission_channel`."
    )
    join_with_the_bot(discord, denied={SUBMIT_CHANNEL_ID: EMBED_LINKS | VIEW_CHANNEL})
    _, checks = await setup(discord, keyspace)
    assert "the bot lacks View Channel, Send Messages and Embed Links there" in checks[SUBMISSIONS]
    join_with_the_bot(discord, denied={SUBMIT_CHANNEL_ID: EMBED_LINKS})
    _, checks = await setup(discord, keyspace)
    assert "the bot lacks Embed Links there" in checks[SUBMISSIONS]


async def test_the_alert_channel_when_set(discord: DiscordHarness, keyspace: Keyspace, store: Store) -> None:
    join_with_the_bot(discord, denied={OTHER_CHANNEL_ID: SEND_MESSAGES})
    await beat([store])
    general = Channel(OTHER_CHANNEL_ID, "general")
    await admin(discord, "config", {"setting": "alert_channel", "channel": general}, member=ADMIN_BY_ROLE)
    _, checks = await setup(discord, keyspace)
    assert checks["Alert channel #general"].startswith("❌ **Alert channel #general**: the bot lacks Send Messages ")
    assert checks[SUBMISSIONS].startswith("✅")
    join_with_the_bot(discord, drop=OTHER_CHANNEL_ID)
    _, checks = await setup(discord, keyspace)
    assert checks["Alert channel #general"].startswith(
        "❌ **Alert channel #general**: no text channel of that name exists"
    )
    assert checks["Alert channel #general"].endswith("`/admin config setting:alert_channel`.")


async def test_a_refused_bearer_token(discord: DiscordHarness, keyspace: Keyspace, store: Store, fake_x: FakeX) -> None:
    join_with_the_bot(discord)
    await beat([store])
    fake_x.bearer_token = "fake-app-rotated"  # X no longer accepts the token the bot has
    reply, checks = await setup(discord, keyspace)
    assert reply.last.content.splitlines()[0] == "Setup check: 1 to fix."
    assert checks["X bearer token"] == (
        "❌ **X bearer token**: the bearer token is refused: set a working TWITTER_BEARER_TOKEN and restart the bot "
        "and worker."
    )


async def test_no_heartbeat_or_a_stale_one(
    discord: DiscordHarness, keyspace: Keyspace, store: Store, clock: FakeClock
) -> None:
    join_with_the_bot(discord)
    _, checks = await setup(discord, keyspace)
    fix = "❌ **Worker**: not running: start it (`python -m worker`) and keep it running."
    assert checks["Worker"] == f"{fix} (never seen)"
    await beat([store])
    seen = int(clock.now)
    clock.advance(STALE_AFTER_SECONDS + 1)
    _, checks = await setup(discord, keyspace)
    assert checks["Worker"] == f"{fix} (last seen <t:{seen}:R>)"
