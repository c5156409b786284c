"""Every kind of reply the bot sends, rendered into docs/what-members-see.md so the whole voice reads at once.

The file is checked in; this test fails when a reply changes without it. Regenerate with
UPDATE_WHAT_MEMBERS_SEE=1 scripts/test tests/bot/test_what_members_see.py (and read the diff).
A new scenario is one line in `scenario()`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from engagement.services import Services
from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_PERMISSION, ALICE, BOB, link, recent_post
from tests.bot.exts.admin.admin_commands import admin, grouped, uploads
from tests.bot.test_communities import prove
from tests.conftest import START
from tests.fakes.discord_harness import DiscordHarness, Reply, SentMessage

DOC = Path(__file__).resolve().parents[2] / "docs" / "what-members-see.md"
HEADER = """# What members see

Every kind of reply the bot sends, in the order a new community meets them, rendered from the real bot against
the test fakes (`tests/bot/test_what_members_see.py`; clock fixed at 2026-11-18, so `<t:...>` stamps are fixed
too: Discord shows them in each reader's time zone). Codes are masked. Regenerate with
`UPDATE_WHAT_MEMBERS_SEE=1 scripts/test tests/bot/test_what_members_see.py`.
"""


def _embed(embed: dict[str, Any]) -> list[str]:
    lines = [f"**{embed['title']}**"] if embed.get("title") else []
    if embed.get("description"):
        lines.append(embed["description"])
    lines += [f"- *{field['name']}*: {field['value']}" for field in embed.get("fields", [])]
    if embed.get("footer"):
        lines.append(f"_{embed['footer']['text']}_")
    return lines


def _buttons(message: SentMessage) -> list[str]:
    labels = [c.get("label", "") for row in message.components for c in row.get("components", [])]
    return [" ".join(f"[{label}]" for label in labels)] if labels else []


def _message(message: SentMessage, where: str) -> str:
    lines = [message.content] if message.content else []
    for embed in message.embeds:
        lines += _embed(embed)
    lines += _buttons(message)
    lines += [f"(attached: {', '.join(message.files)})"] if message.files else []
    text = "\n".join(lines)
    text = re.sub(r"ENG-[A-Z0-9]{6}", "ENG-XXXXXX", text)
    return f"{where}:\n\n" + "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def render(title: str, reply: Reply) -> str:
    parts = [f"## {title}"]
    parts += [_message(m, "Private reply" if m.ephemeral else "Reply") for m in reply.messages]
    parts += [_message(m, "Posted in the channel") for m in reply.channel_messages]
    return "\n\n".join(parts)


async def scenario(discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX) -> list[str]:
    shown: list[str] = []

    async def see(title: str, name: str, options: dict[str, Any] | None = None, **kw: Any) -> Reply:
        reply = await discord.slash(name, options, **kw)
        shown.append(render(title, reply))
        return reply

    async def see_admin(title: str, path: str, options: dict[str, Any] | None = None) -> None:
        shown.append(render(title, await admin(discord, path, options, member=ADMIN_BY_PERMISSION)))

    await see("/help", "help", member=ALICE)
    await see("/stats before connecting", "stats", member=ALICE)
    await see("/connect without a handle (Sign in with X not set up)", "connect", member=ALICE)
    alice_x = fake_x.add_user("alice")
    await see("/connect with a handle", "connect", {"handle": "alice"}, member=ALICE)
    await prove(discord, fake_x, alice_x)
    await link(services, store, fake_x, BOB)
    await see("/submit with something that is not a link", "submit", {"url": "hello"}, member=ALICE)
    post = recent_post(fake_x, services, alice_x)
    url = f"https://x.com/alice/status/{post}"
    await see("/submit", "submit", {"url": url}, member=ALICE)
    await see("/submit the same post again", "submit", {"url": url}, member=ALICE)
    await see("/stats", "stats", member=BOB)
    await see("/why on someone else's post", "why", {"url": url}, member=BOB)
    await see("/why on your own post", "why", {"url": url}, member=ALICE)
    await see("/why from an old Discord client (an option missing)", "why", {}, member=BOB)
    await see("/leaderboard", "leaderboard", member=BOB)
    await see("/insights", "insights", member=ALICE)
    await see("/leaderboard season (none held yet)", "leaderboard", {"board": "teams"}, member=BOB)
    season = {"name": "Winter", "end": "2026-11-25", "reward_zone": 3}
    shown.append(render("/season open", await grouped(discord, "season", "open", season, member=ADMIN_BY_PERMISSION)))
    shown.append(
        render(
            "/team join a team that does not exist", await grouped(discord, "team", "join", {"team": "Red"}, member=BOB)
        )
    )
    await see("/leaderboard season", "leaderboard", {"season": "Winter"}, member=BOB)
    await see("/insights post", "insights", {"post": url}, member=BOB)
    await see("/insights community by a member", "insights", {"community": True}, member=BOB)
    await see("/insights community by an admin", "insights", {"community": True}, member=ADMIN_BY_PERMISSION)
    shown.append(render("/admin by a member who is not an admin", await admin(discord, "overview", member=BOB)))
    await see_admin("/admin overview", "overview")
    await see_admin("/admin setup", "setup")
    await see_admin("/admin tweets", "tweets")
    await see_admin("/admin tweets with an unknown category", "tweets", {"category": "memes"})
    await see_admin("/admin rules show", "rules show")
    await see_admin("/admin rules set", "rules set", {"tier": 1, "type": "reply", "points": 4})
    await see_admin("/admin points-adjust", "points-adjust", {"member": BOB, "delta": 5, "reason": "welcome"})
    reward = {"name": "Sticker pack", "cost": 5, "stock": 10, "description": "Five stickers, posted to you"}
    added = await grouped(discord, "shop-admin", "add", reward, member=ADMIN_BY_PERMISSION)
    shown.append(render("/shop-admin add", added))
    shown.append(render("/shop list", await grouped(discord, "shop", "list", member=BOB)))
    redeem = {"reward": "Sticker pack"}
    shown.append(render("/shop redeem", await grouped(discord, "shop", "redeem", redeem, member=BOB)))
    await see_admin("/admin batches", "batches")
    await see_admin("/admin leaderboard-export", "leaderboard-export")
    await see_admin("/admin config", "config")
    return shown


@pytest.mark.parametrize("served_guilds", [()], ids=["one community"])
@pytest.mark.usefixtures(uploads.__name__)
async def test_what_members_see(discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX) -> None:
    assert services.now().timestamp() == START
    rendered = HEADER + "\n" + "\n\n".join(await scenario(discord, services, store, fake_x)) + "\n"
    if os.environ.get("UPDATE_WHAT_MEMBERS_SEE") == "1":
        DOC.write_text(rendered, encoding="utf-8")
    assert DOC.exists(), "docs/what-members-see.md is missing: run with UPDATE_WHAT_MEMBERS_SEE=1"
    assert DOC.read_text(encoding="utf-8") == rendered, (
        "a reply changed: re-run with UPDATE_WHAT_MEMBERS_SEE=1, read the diff of docs/what-members-see.md"
    )
