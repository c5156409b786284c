"""The "not counted" part of /stats over the posts tracked now."""

from __future__ import annotations

from engagement.services import Services
from engagement.store import Store
from engagement.why import not_counted
from tests.conftest import FakeClock
from tests.engagement.admin.world import ALICE, BOB, CAROL, DAVE, X_IDS, connect, submit
from tests.fakes.x_tokens import sign_in


async def test_own_posts_and_authors_whose_likes_cannot_count(
    services: Services, store: Store, clock: FakeClock
) -> None:
    for member in (ALICE, BOB, CAROL, DAVE):
        await connect(store, member)
    await submit(store, ALICE, "1850000000000000001")
    clock.advance(3600)
    await submit(store, BOB, "1850000000000000002")
    await submit(store, BOB, "1850000000000000003")
    await submit(store, CAROL, "1850000000000000004")
    await submit(store, DAVE, "1850000000000000005")
    await sign_in(store, X_IDS[DAVE], "dave-token", discord_id=DAVE)  # likes on dave's posts count
    await store.set_next_batch_at(store.now() + 600)
    found = await not_counted(services, ALICE)
    assert (found.tracked, found.own, found.likes_uncounted) == (5, 1, 3)
    assert found.authors == ("carol", "bob")  # newest first, each once
    assert (found.member_handle, found.next_batch_at) == ("alice", store.now() + 600)


async def test_posts_out_of_the_window_are_left_out(services: Services, store: Store, clock: FakeClock) -> None:
    await connect(store, ALICE)
    await connect(store, BOB)
    await submit(store, BOB, "1850000000000000002")
    clock.advance(services.settings.batch_window_hours * 3600 + 1)
    found = await not_counted(services, ALICE)
    assert (found.tracked, found.own, found.likes_uncounted, found.authors) == (0, 0, 0, ())
