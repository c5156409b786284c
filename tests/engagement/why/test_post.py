"""`/why <post>`: every outcome and every reason, on hand-built records (the batch's own writes where it has one)."""

from __future__ import annotations

import pytest

from engagement.admin import delete_tweet
from engagement.errors import InvalidInput, NotConnected
from engagement.services import Services
from engagement.store import Store
from engagement.why import (
    DELETED_ON_X,
    NOT_COUNTED,
    NOT_SEEN_YET,
    NOT_SUBMITTED,
    OWN_POST,
    PAID,
    REMOVED,
    REVOKED,
    TRACKED,
    WAITING,
    WINDOW_CLOSED,
    PostWhy,
    explain_post,
)
from tests.conftest import FakeClock
from tests.engagement.admin.world import ADMIN, ALICE, BOB, X_IDS, award, connect, keyspace, submit
from tests.fakes.x_tokens import sign_in

POST = "1850000000000000001"
URL = f"https://x.com/bob/status/{POST}"


def by_type(found: PostWhy) -> dict[str, tuple[str, str]]:
    return {outcome.type: (outcome.status, outcome.reason) for outcome in found.outcomes}


@pytest.fixture
async def members(store: Store) -> None:
    await connect(store, ALICE)
    await connect(store, BOB)


@pytest.mark.usefixtures("members")
async def test_paid_waiting_and_likes_not_counted(services: Services, store: Store) -> None:
    await submit(store, BOB, POST)
    await award(store, POST, ALICE, "reply", 3)
    await store.set_next_batch_at(store.now() + 1200)
    found = await explain_post(services, ALICE, URL)
    assert (found.post, found.author_handle, found.member_handle) == (TRACKED, "bob", "alice")
    assert by_type(found) == {
        "like": (NOT_COUNTED, "not_signed_in"),  # bob has not signed in with X: nobody can see his likers
        "retweet": (WAITING, NOT_SEEN_YET),
        "reply": (PAID, ""),
        "quote": (WAITING, NOT_SEEN_YET),
    }
    [paid] = [outcome.log for outcome in found.outcomes if outcome.status == PAID]
    assert paid is not None
    assert (paid.points, paid.batch_id) == (3, "1")
    assert found.next_batch_at == store.now() + 1200
    assert found.window_ends_at == store.now() + services.settings.batch_window_hours * 3600


@pytest.mark.usefixtures("members")
async def test_likes_wait_once_the_author_signed_in(services: Services, store: Store) -> None:
    await submit(store, BOB, POST)
    await sign_in(store, X_IDS[BOB], "bob-token", discord_id=BOB)
    assert by_type(await explain_post(services, ALICE, URL))["like"] == (WAITING, NOT_SEEN_YET)


@pytest.mark.usefixtures("members")
async def test_own_post_earns_nothing(services: Services, store: Store) -> None:
    await submit(store, ALICE, POST)
    found = await explain_post(services, ALICE, f"https://x.com/alice/status/{POST}")
    assert found.post == OWN_POST
    assert set(by_type(found).values()) == {(NOT_COUNTED, OWN_POST)}


@pytest.mark.usefixtures("members")
async def test_window_closed(services: Services, store: Store, clock: FakeClock) -> None:
    await submit(store, BOB, POST)
    await award(store, POST, ALICE, "like", 1)
    clock.advance(services.settings.batch_window_hours * 3600)
    found = await explain_post(services, ALICE, URL)
    assert found.post == WINDOW_CLOSED
    assert by_type(found)["like"] == (PAID, "")  # paid while tracked: still paid
    assert by_type(found)["reply"] == (NOT_COUNTED, WINDOW_CLOSED)


@pytest.mark.usefixtures("members")
async def test_not_submitted(services: Services, store: Store) -> None:
    found = await explain_post(services, ALICE, URL)
    assert found.post == NOT_SUBMITTED
    assert set(by_type(found).values()) == {(NOT_COUNTED, NOT_SUBMITTED)}


@pytest.mark.usefixtures("members")
async def test_removed_by_an_admin_with_and_without_revoking(services: Services, store: Store) -> None:
    await submit(store, BOB, POST)
    await delete_tweet(store, ADMIN, POST)  # nothing paid on it: only the audit log knows
    assert (await explain_post(services, ALICE, URL)).post == REMOVED
    other = "1850000000000000009"
    await submit(store, BOB, other)
    await award(store, other, ALICE, "retweet", 2)
    await delete_tweet(store, ADMIN, other, revoke=True)
    found = await explain_post(services, ALICE, f"https://x.com/bob/status/{other}")
    assert found.post == REMOVED
    assert by_type(found)["retweet"] == (REVOKED, "")
    assert by_type(found)["reply"] == (NOT_COUNTED, REMOVED)


@pytest.mark.usefixtures("members")
async def test_deleted_on_x(services: Services, store: Store) -> None:
    submission = await submit(store, BOB, POST)
    await store.update_submission_fields(submission.id, {"gone_at": store.now()})  # what the batch writes
    found = await explain_post(services, ALICE, URL)
    assert found.post == DELETED_ON_X
    assert by_type(found)["quote"] == (NOT_COUNTED, DELETED_ON_X)


@pytest.mark.usefixtures("members")
async def test_an_award_to_an_earlier_account_is_the_members(services: Services, store: Store) -> None:
    await submit(store, BOB, POST)
    await award(store, POST, ALICE, "quote", 2)
    await store.link_account(ALICE, "7777", "alice_new", "bio", "2026-11-19T00:00:00+00:00")
    found = await explain_post(services, ALICE, URL)
    assert found.member_handle == "alice_new"
    assert by_type(found)["quote"] == (PAID, "")


@pytest.mark.usefixtures("members")
async def test_bad_link_and_not_connected_change_nothing(services: Services, store: Store) -> None:
    await submit(store, BOB, POST)
    before = await keyspace(store)
    with pytest.raises(InvalidInput, match="link"):
        await explain_post(services, ALICE, "not a link")
    with pytest.raises(InvalidInput):
        await explain_post(services, ALICE, "https://example.com/bob/status/1")
    with pytest.raises(NotConnected, match="Use /connect first"):
        await explain_post(services, "100000000000000099", URL)
    assert await keyspace(store) == before
