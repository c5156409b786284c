"""Clock skew (issue 11 item 12): X judges search's 7 days by its own clock, the worker by its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from engagement.batch import COMPLETED
from engagement.errors import SettingsError
from engagement.settings import MAX_WINDOW_HOURS, load_settings
from engagement.store import Store, SubmissionDraft
from engagement.x import XClient
from engagement.x.client import SEARCH_WINDOW
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld
from tests.fakes.x_fixtures import RETRY_DELAYS

# The worker's clock runs behind X's: two minutes (the case), or just inside the margin.
SLOW_BY = [timedelta(minutes=2), timedelta(minutes=14)]


@pytest.fixture(params=SLOW_BY, ids=["2-minutes-slow", "14-minutes-slow"])
async def slow_x_client(fake_x: FakeX, clock: FakeClock, request: pytest.FixtureRequest) -> AsyncIterator[XClient]:
    slow = request.param.total_seconds()
    client = XClient(fake_x.base_url, fake_x.bearer_token, clock=lambda: clock() - slow, retry_delays=RETRY_DELAYS)
    yield client
    await client.aclose()


async def test_a_slow_worker_clock_still_searches_inside_xs_seven_days(
    fake_x: FakeX, slow_x_client: XClient, clock: FakeClock
) -> None:
    x_now = datetime.fromtimestamp(clock(), UTC)
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    root = fake_x.add_tweet(author, created_at=x_now - timedelta(days=7, hours=1))
    reply = fake_x.reply(fan, root, "still recent", created_at=x_now - timedelta(days=6))

    found = await slow_x_client.search_replies([root], start_time=x_now - timedelta(days=7, hours=1))

    assert [tweet.id for tweet in found.tweets] == [reply]
    assert fake_x.request_counts["search_recent"] == 1, "accepted at once, not refused and retried"


async def test_a_batch_with_a_slow_clock_still_pays_replies_to_a_week_old_post(
    store: Store, fake_x: FakeX, slow_x_client: XClient, clock: FakeClock
) -> None:
    """Before: start_time fell outside X's 7 days and the whole search group failed."""
    settings = load_settings(_env_file=None, batch_window_hours=MAX_WINDOW_HOURS)
    world = BatchWorld(store, fake_x, slow_x_client, clock, settings)
    alice, bob = await world.member("alice"), await world.member("bob")
    x_now = datetime.fromtimestamp(clock(), UTC)
    old = fake_x.add_tweet(alice.x_id, "a week ago", created_at=x_now - timedelta(days=7, hours=1))
    url = f"https://x.com/alice/status/{old}"
    await store.create_submission(SubmissionDraft(old, url, alice.x_id, "alice", world.discord("alice"), "general"), 9)
    world.tweets["old"] = old
    fake_x.reply(bob.x_id, old, "late to this")

    outcome = await world.run()

    assert outcome.status == COMPLETED, outcome.tally.errors
    assert await world.awards() == {world.row("old", "bob", "reply", 3)}


def test_the_window_setting_stays_inside_what_search_covers() -> None:
    assert SEARCH_WINDOW.total_seconds() >= MAX_WINDOW_HOURS * 3600
    assert load_settings(_env_file=None, batch_window_hours=MAX_WINDOW_HOURS).batch_window_hours == MAX_WINDOW_HOURS


def test_a_window_beyond_recent_search_is_a_clear_start_up_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BATCH_WINDOW_HOURS", "168")
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None)
    assert str(error.value).startswith("invalid setting BATCH_WINDOW_HOURS='168': must be at most 167")
    assert "7 days" in str(error.value)
