from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from engagement.admin import set_rule
from engagement.services import Services
from engagement.store import Store
from sandbox import _fake_x_endpoints as fake_x_endpoints
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_ROLE, ALICE, BOB, recent_post
from tests.engagement.test_submissions import attempts_apart
from tests.fakes.discord_api import SentMessage
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness, Member, Reply
from tests.fakes.discord_payloads import OTHER_CHANNEL_ID, SUBMIT_CHANNEL_ID
from tests.fakes.x_tokens import sign_in

DEFERRED_MESSAGE = 5


def link_to(tweet_id: str, handle: str = "alice") -> str:
    return f"https://x.com/{handle}/status/{tweet_id}"


async def test_submit_announces_publicly_and_confirms_privately(
    discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX, alice_x: str
) -> None:
    tweet_id = recent_post(fake_x, services, alice_x)
    reply = await discord.slash(
        "submit", {"url": f"https://fxtwitter.com/alice/status/{tweet_id}?s=20", "category": "meme"}, member=ALICE
    )
    assert reply.callback_type == DEFERRED_MESSAGE
    assert reply.callback_flags == 64  # deferred ephemerally
    [announcement] = reply.channel_messages
    assert announcement.raw["channel_id"] == str(SUBMIT_CHANNEL_ID)
    assert not announcement.ephemeral
    [embed] = announcement.embeds
    assert embed["url"] == link_to(tweet_id)
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    assert fields.pop(EARNINGS)
    assert fields == {"Author": "[@alice](https://x.com/alice)", "Category": "meme", "Submitted by": f"<@{ALICE.id}>"}
    assert reply.last.ephemeral
    assert "Submissions left today: 1 of 2" in reply.last.content
    assert (await store.submission_for_tweet(tweet_id)) is not None


EARNINGS = "Points by tier (Basic · Active · Power)"


def link_buttons(message: SentMessage) -> dict[str, str]:
    """Label -> URL of the message's link buttons (style 5)."""
    buttons = [item for row in message.components for item in row.get("components", [])]
    assert all(button["style"] == 5 and "custom_id" not in button for button in buttons)
    return {button["label"]: button["url"] for button in buttons}


def announced(reply: Reply) -> tuple[str, str, dict[str, str]]:
    """(earnings field, footer, link buttons) of the one announcement."""
    [message] = reply.channel_messages
    [embed] = message.embeds
    earnings = next(field["value"] for field in embed["fields"] if field["name"] == EARNINGS)
    return earnings, embed["footer"]["text"], link_buttons(message)


async def test_the_announcement_opens_x_s_intents_for_the_post(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str
) -> None:
    tweet_id = recent_post(fake_x, services, alice_x)
    _, _, buttons = announced(await discord.slash("submit", {"url": link_to(tweet_id)}, member=ALICE))
    assert buttons == {
        "Like": f"https://x.com/intent/like?tweet_id={tweet_id}",
        "Repost": f"https://x.com/intent/retweet?tweet_id={tweet_id}",
        "Reply": f"https://x.com/intent/tweet?in_reply_to={tweet_id}",
        "Quote": f"https://x.com/intent/tweet?url=https%3A%2F%2Fx.com%2Falice%2Fstatus%2F{tweet_id}",
    }


async def test_the_announcement_promises_nothing_for_likes_the_author_cannot_show(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str
) -> None:
    earnings, footer, _ = announced(
        await discord.slash("submit", {"url": link_to(recent_post(fake_x, services, alice_x))}, member=ALICE)
    )
    assert earnings.splitlines() == [
        "Like: not counted on this post (@alice has not signed in with X)",
        "Repost: 2 · 4 · 6 points",
        "Reply: 3 · 6 · 9 points",
        "Quote: 2 · 4 · 6 points",
    ]
    assert footer == "Repost, reply or quote it on X with the buttons below to earn points."


async def test_the_announcement_of_a_signed_in_author_states_what_likes_earn(
    discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX, alice_x: str
) -> None:
    await sign_in(store, alice_x, "alice-token", discord_id=str(ALICE.id))
    await set_rule(store, str(ADMIN_BY_ROLE.id), 3, "like", 5)  # the community's own rules, not the defaults
    earnings, footer, _ = announced(
        await discord.slash("submit", {"url": link_to(recent_post(fake_x, services, alice_x))}, member=ALICE)
    )
    assert earnings.splitlines() == [
        "Like: 1 · 2 · 5 points",
        "Repost: 2 · 4 · 6 points",
        "Reply: 3 · 6 · 9 points",
        "Quote: 2 · 4 · 6 points",
    ]
    assert footer == "Like, repost, reply or quote it on X with the buttons below to earn points."


async def test_outside_the_channel_points_to_it(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str, keyspace: Keyspace
) -> None:
    url = link_to(recent_post(fake_x, services, alice_x))
    before = await keyspace()
    reply = await discord.slash("submit", {"url": url}, member=ALICE, channel_id=OTHER_CHANNEL_ID)
    assert reply.callback_type == 4
    assert reply.last.ephemeral
    assert f"<#{SUBMIT_CHANNEL_ID}>" in reply.last.content
    assert reply.channel_messages == []
    assert await keyspace() == before


Setup = Callable[[FakeX, Services, str], str]  # builds the world, returns the URL to submit


def deleted(fake_x: FakeX, services: Services, alice_x: str) -> str:
    tweet_id = recent_post(fake_x, services, alice_x)
    fake_x.delete_tweet(tweet_id)
    return link_to(tweet_id)


BAD_SUBMISSIONS: dict[str, tuple[Setup, str]] = {
    "malformed url": (lambda fx, s, a: "htps//x.com/alice", "Please give one post link"),
    "profile": (lambda fx, s, a: "https://x.com/alice", "not a link to a single post on X"),
    "list": (lambda fx, s, a: "https://x.com/i/lists/1234567890", "not a link to a single post on X"),
    "space": (lambda fx, s, a: "https://x.com/i/spaces/1YqKDqWqdPLxV", "not a link to a single post on X"),
    "other site": (lambda fx, s, a: "https://example.com/alice/status/1", "not on x.com"),
    "no such tweet": (lambda fx, s, a: link_to("1850123456789012345"), "does not exist"),
    "deleted tweet": (deleted, "does not exist"),
    "someone else's": (lambda fx, s, a: link_to(recent_post(fx, s, fx.add_user("bob")), "bob"), "not by your"),
    "too old": (lambda fx, s, a: link_to(recent_post(fx, s, a, hours_ago=30)), "30 hours old"),
}


@pytest.mark.parametrize("case", BAD_SUBMISSIONS)
async def test_bad_submissions_are_refused_and_write_nothing(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str, keyspace: Keyspace, case: str
) -> None:
    setup, expected = BAD_SUBMISSIONS[case]
    url = setup(fake_x, services, alice_x)
    await refused(discord, keyspace, {"url": url}, expected)


async def refused(
    discord: DiscordHarness, keyspace: Keyspace, options: dict[str, str], expected: str, member: Member = ALICE
) -> Reply:
    before, attempts = attempts_apart(await keyspace())
    reply = await discord.slash("submit", options, member=member)
    assert expected in reply.last.content
    assert reply.last.ephemeral
    assert reply.channel_messages == []
    assert attempts_apart(await keyspace()) == (before, attempts + 1)  # only the attempt is counted
    return reply


async def test_unknown_category(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str, keyspace: Keyspace
) -> None:
    url = link_to(recent_post(fake_x, services, alice_x))
    await refused(discord, keyspace, {"url": url, "category": "spam"}, "Unknown category 'spam'")


async def test_not_connected(discord: DiscordHarness, keyspace: Keyspace) -> None:
    await refused(discord, keyspace, {"url": link_to("1850123456789012345")}, "Use /connect first", member=BOB)


async def test_duplicate_names_who_was_first(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str, keyspace: Keyspace
) -> None:
    url = link_to(recent_post(fake_x, services, alice_x))
    await discord.slash("submit", {"url": url}, member=ALICE)
    await refused(discord, keyspace, {"url": url}, f"already submitted by <@{ALICE.id}>")


async def test_daily_limit(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str, keyspace: Keyspace
) -> None:
    for left in (1, 0):
        reply = await discord.slash("submit", {"url": link_to(recent_post(fake_x, services, alice_x))}, member=ALICE)
        assert f"Submissions left today: {left} of 2" in reply.last.content
    url = link_to(recent_post(fake_x, services, alice_x))
    await refused(discord, keyspace, {"url": url}, "You have used all 2 of today's submissions")


@pytest.mark.parametrize(("fault", "wait"), [("500", "5 minutes"), ("rate limit", "15 minutes")])
async def test_x_busy(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str, keyspace: Keyspace, fault: str, wait: str
) -> None:
    url = link_to(recent_post(fake_x, services, alice_x))
    if fault == "500":
        fake_x.inject_fault("tweets_lookup", "500", times=3)
    else:
        fake_x.set_limit("tweets_lookup", 0)
    reply = await refused(discord, keyspace, {"url": url}, "X is busy right now")
    assert f"try again in {wait}" in reply.last.content


async def test_category_autocomplete(discord: DiscordHarness) -> None:
    choices = await discord.autocomplete("submit", {"url": "", "category": "me"}, "category", member=ALICE)
    assert choices == [{"name": "meme", "value": "meme"}]
    everything = await discord.autocomplete("submit", {"url": "", "category": ""}, "category", member=ALICE)
    assert [choice["value"] for choice in everything] == ["general", "meme", "thread"]


async def test_channel_post_refused_by_discord_still_tracks_and_says_so(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str, caplog: pytest.LogCaptureFixture
) -> None:
    discord.api.fail_next("POST", r"channels/\d+/messages", 403)
    post = recent_post(fake_x, services, alice_x)
    reply = await discord.slash("submit", {"url": link_to(post)}, member=ALICE)
    assert "Submitted and tracked" in reply.last.content
    assert "could not post the announcement" in reply.last.content
    assert "no need to submit it again" in reply.last.content
    assert reply.last.ephemeral
    assert await services.store.submission_for_tweet(post) is not None
    assert not discord.bot.tree.handled
    [logged] = [record for record in caplog.records if record.name == "bot.exts.submit._cog"]
    assert logged.levelname == "WARNING"


async def test_an_id_x_cannot_have_is_refused_before_any_x_call(
    discord: DiscordHarness, fake_x: FakeX, alice_x: str, keyspace: Keyspace
) -> None:
    fake_x.reset_counts()
    await refused(discord, keyspace, {"url": link_to("12345678901234567890")}, "at most 19 digits")
    assert sum(fake_x.request_counts.values()) == 0


async def test_x_error_text_is_never_shown_to_the_member(
    discord: DiscordHarness, fake_x: FakeX, alice_x: str, keyspace: Keyspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fake_x_endpoints, "_ID", re.compile(r"[0-9]{1,18}"))  # X now answers 400 to these ids
    reply = await refused(discord, keyspace, {"url": link_to("1850123456789012345")}, "X would not answer")
    assert fake_x.request_counts["tweets_lookup"] == 1  # X really answered 400
    assert "400" not in reply.text
    assert "query parameter" not in reply.text
    assert f"(reference {discord.bot.tree.handled[-1].interaction_id})" in reply.text


async def test_attempts_are_throttled_with_a_time_to_retry(
    discord: DiscordHarness, services: Services, fake_x: FakeX, alice_x: str, keyspace: Keyspace
) -> None:
    for _ in range(10):
        await refused(discord, keyspace, {"url": "https://x.com/alice"}, "not a link to a single post on X")
    fake_x.reset_counts()
    url = link_to(recent_post(fake_x, services, alice_x))
    before = await keyspace()
    reply = await discord.slash("submit", {"url": url}, member=ALICE)
    assert reply.last.content == (
        "You have tried /submit 10 times in the last 10 minutes. Please try again in 10 minutes."
    )
    assert reply.last.ephemeral
    assert sum(fake_x.request_counts.values()) == 0
    assert await keyspace() == before
