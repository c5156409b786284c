"""Confirm / Cancel before tweets-delete with revoke, rules reset and an adjustment above 1,000 points: Cancel and
expiry change nothing, only the invoking admin may press, Confirm does it once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.exts.admin._confirm import CANCELLED, EXPIRED, Confirmation
from engagement.admin import set_rule
from engagement.models import Award
from engagement.services import Services
from engagement.store import Store, SubmissionDraft
from sandbox.fake_x import FakeX
from tests.bot.conftest import ADMIN_BY_PERMISSION, ADMIN_BY_ROLE, ALICE, BOB, link
from tests.bot.exts.admin.admin_commands import admin, press, refused
from tests.conftest import FakeClock
from tests.fakes.discord_fixtures import Keyspace
from tests.fakes.discord_harness import DiscordHarness, Reply

TWEET = "1850000000000000001"
OTHER_BUTTONS = "These buttons belong to the member who ran the command"


async def _engaged_tweet(services: Services, store: Store, fake_x: FakeX) -> None:
    alice_x = await link(services, store, fake_x, ALICE)
    bob_x = await link(services, store, fake_x, BOB)
    draft = SubmissionDraft(TWEET, f"https://x.com/alice/status/{TWEET}", alice_x, "alice", str(ALICE.id), "general")
    await store.create_submission(draft, daily_limit=10)
    await store.award_engagement(Award(TWEET, bob_x, str(BOB.id), "retweet", 2, 1, "1"))


async def _changed_rule(services: Services, store: Store, fake_x: FakeX) -> None:
    await set_rule(store, str(ADMIN_BY_ROLE.id), 2, "reply", 10)


async def _linked_alice(services: Services, store: Store, fake_x: FakeX) -> None:
    await link(services, store, fake_x, ALICE)


Setup = Callable[[Services, Store, FakeX], Awaitable[None]]


async def _tweet_revoked(store: Store) -> bool:
    gone = await store.submission_for_tweet(TWEET) is None
    return gone and await store.rank_and_points(str(BOB.id), weekly=False) == (1, 0)


async def _rules_default(store: Store) -> bool:
    return await store.rule_overrides() == {}


async def _alice_got_5000(store: Store) -> bool:
    return await store.rank_and_points(str(ALICE.id), weekly=False) == (1, 5000)


CASES: list[tuple[str, dict[str, Any], Setup, str, Callable[[Store], Awaitable[bool]]]] = [
    (
        "tweets-delete",
        {"tweet": TWEET, "revoke": True, "reason": "spam"},
        _engaged_tweet,
        f"Stop tracking tweet {TWEET} (submitted by <@{ALICE.id}>) **and take back every point it paid**? Members "
        "lose those points on both boards.",
        _tweet_revoked,
    ),
    (
        "rules reset",
        {},
        _changed_rule,
        "Reset **every** point rule to the default table (from the next batch)?",
        _rules_default,
    ),
    (
        "points-adjust",
        {"member": ALICE, "delta": 5000, "reason": "contest prize"},
        _linked_alice,
        f"+5,000 points for <@{ALICE.id}> (contest prize)? That is a large adjustment.",
        _alice_got_5000,
    ),
]
IDS = ["tweets-delete revoke", "rules reset", "points-adjust 5000"]


@pytest.fixture(params=range(len(CASES)), ids=IDS)
async def asked(
    request: pytest.FixtureRequest, discord: DiscordHarness, services: Services, store: Store, fake_x: FakeX
) -> tuple[Reply, Callable[[Store], Awaitable[bool]]]:
    """The command run, its question shown with Confirm / Cancel; and the check that the action was done."""
    path, options, setup, question, done = CASES[request.param]
    await setup(services, store, fake_x)
    reply = await admin(discord, path, options, member=ADMIN_BY_ROLE)
    assert reply.last.content == question
    assert reply.last.ephemeral
    labels = [reply.last.button(custom_id)["label"] for custom_id in reply.last.custom_ids]
    assert labels == ["Confirm", "Cancel"]
    return reply, done


async def test_asking_changes_nothing_and_cancel_changes_nothing(
    discord: DiscordHarness, keyspace: Keyspace, asked: tuple[Reply, Callable[[Store], Awaitable[bool]]], store: Store
) -> None:
    reply, done = asked
    before = await keyspace()
    assert not await done(store)
    cancelled = await press(discord, reply, "Cancel")
    assert cancelled.last.content == CANCELLED
    assert not cancelled.last.components
    assert cancelled.last.message_id == reply.last.message_id
    assert await keyspace() == before


async def test_an_expired_confirmation_changes_nothing(
    discord: DiscordHarness,
    keyspace: Keyspace,
    asked: tuple[Reply, Callable[[Store], Awaitable[bool]]],
    clock: FakeClock,
    view_timeout: float,
) -> None:
    reply, _ = asked
    before = await keyspace()
    clock.advance(view_timeout + 1)
    expired = await press(discord, reply, "Confirm")
    assert expired.last.content == EXPIRED
    assert not expired.last.components
    assert await keyspace() == before


async def test_only_the_invoking_admin_may_press_and_confirm_does_it_once(
    discord: DiscordHarness,
    keyspace: Keyspace,
    asked: tuple[Reply, Callable[[Store], Awaitable[bool]]],
    store: Store,
    clock: FakeClock,
    view_timeout: float,
) -> None:
    reply, done = asked
    before = await keyspace()
    for other in (BOB, ADMIN_BY_PERMISSION):  # a member, and another admin
        for label in ("Confirm", "Cancel"):
            pressed = await press(discord, reply, label, member=other)
            assert pressed.last.content.startswith(OTHER_BUTTONS)
            assert pressed.last.ephemeral
    assert await keyspace() == before
    clock.advance(view_timeout - 1)  # not yet expired
    confirmed = await press(discord, reply, "Confirm")
    assert confirmed.last.message_id == reply.last.message_id
    assert not confirmed.last.components
    assert await done(store)
    after = await keyspace()
    again = await press(discord, reply, "Confirm")  # the buttons are gone; a stale client's press does nothing
    assert not again.messages
    assert await keyspace() == after


async def test_an_adjustment_of_1000_points_or_less_is_not_confirmed(
    discord: DiscordHarness, store: Store, alice_x: str
) -> None:
    reply = await admin(
        discord, "points-adjust", {"member": ALICE, "delta": -1000, "reason": "x"}, member=ADMIN_BY_ROLE
    )
    assert not reply.last.components
    assert reply.last.content.startswith(f"<@{ALICE.id}>: -1,000 points (x)")
    asked = await admin(discord, "points-adjust", {"member": ALICE, "delta": 1001, "reason": "y"}, member=ADMIN_BY_ROLE)
    assert asked.last.content == f"+1,001 points for <@{ALICE.id}> (y)? That is a large adjustment."


@pytest.mark.parametrize(
    ("path", "options", "message"),
    [
        ("tweets-delete", {"tweet": "1850000000000000999", "revoke": True}, "No submitted tweet has the id"),
        ("tweets-delete", {"tweet": TWEET, "revoke": True, "reason": "x" * 201}, "reason must be at most 200"),
        ("points-adjust", {"member": ALICE, "delta": 5000, "reason": "  "}, "A reason is required."),
        ("points-adjust", {"member": ALICE, "delta": 20_000, "reason": "why"}, "delta must be a whole number"),
    ],
    ids=["unknown tweet", "long reason", "no reason", "too big"],
)
async def test_a_bad_input_is_refused_before_asking(
    discord: DiscordHarness,
    keyspace: Keyspace,
    services: Services,
    store: Store,
    fake_x: FakeX,
    path: str,
    options: dict[str, Any],
    message: str,
) -> None:
    await _engaged_tweet(services, store, fake_x)
    reply = await refused(discord, keyspace, path, options, message)
    assert not reply.last.components


class _Source:
    """The command's interaction, as far as the view uses it when it times out."""

    id = 1

    def __init__(self) -> None:
        self.edits: list[dict[str, Any]] = []

    async def edit_original_response(self, **changes: Any) -> None:
        self.edits.append(changes)


async def test_when_the_view_times_out_the_question_says_it_expired() -> None:
    ran: list[object] = []

    async def action(interaction: Any) -> None:
        ran.append(interaction)

    view = Confirmation(ADMIN_BY_ROLE.id, action, timeout=180, clock=lambda: 0.0)
    source = _Source()
    view.source = source  # type: ignore[assignment]
    await view.on_timeout()
    assert source.edits == [{"content": EXPIRED, "view": None}]
    assert not ran
    await view.on_timeout()  # once only
    assert len(source.edits) == 1
