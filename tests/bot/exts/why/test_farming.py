"""/why names the anti-farming rule that made an engagement earn nothing: the rule set with /admin config, a real
batch against the fake X, then /why, all through the real discord.py against the fake Discord."""

from __future__ import annotations

from datetime import timedelta

from engagement.batch import COMPLETED, run_batch
from engagement.services import Services
from engagement.store import Store, SubmissionDraft
from engagement.x import XClient
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_ROLE, ALICE, BOB, link, recent_post
from tests.bot.exts.admin.admin_commands import admin
from tests.bot.exts.stats.test_cog import fields_of
from tests.conftest import FakeClock
from tests.fakes.discord_harness import DiscordHarness
from tests.fakes.x_tokens import stored_tokens


async def test_why_says_which_rule_refused_a_reply_and_a_repost(
    discord: DiscordHarness,
    services: Services,
    store: Store,
    fake_x: FakeX,
    x_client: XClient,
    clock: FakeClock,
    alice_x: str,
) -> None:
    for setting, value in (("min_reply_chars", "10"), ("engagement_cooldown_seconds", "60")):
        reply = await admin(discord, "config", {"setting": setting, "value": value}, member=ADMIN_BY_ROLE)
        assert reply.last.content == f"`{setting}` set to `{value}` (was `not set`)."
    bob_x = await link(services, store, fake_x, BOB)
    post = recent_post(fake_x, services, bob_x, hours_ago=0)
    draft = SubmissionDraft(post, f"https://x.com/bob/status/{post}", bob_x, "bob", str(BOB.id), "general")
    await store.create_submission(draft, daily_limit=10)
    fake_x.reply(alice_x, post, "@bob gm https://t.co/x", created_at=services.now() + timedelta(seconds=90))
    clock.advance(5)
    fake_x.retweet(alice_x, post)  # 5 seconds after the submission: inside the cool-down
    clock.advance(120)
    outcome = await run_batch(store, x_client, services.settings, clock=clock, tokens=stored_tokens(store))
    assert outcome.status == COMPLETED, outcome.summary()
    assert outcome.tally.awards_refused_by_rule == 2

    why = await discord.slash("why", {"url": f"https://x.com/bob/status/{post}"}, member=ALICE)
    lines = fields_of(why.last.embeds[0])["Your engagements"].splitlines()
    assert lines[1] == "**Repost**: not counted: made too soon after the post was submitted (this server's cool-down)"
    assert lines[2] == (
        "**Reply**: not counted: your reply was shorter than this server's minimum (@mentions and links do not count)"
    )
