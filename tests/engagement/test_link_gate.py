"""The anti-farming link gate: an X account too young or with too few followers is refused wherever an account
gets linked (a code in the bio or a post, an account proved before, Sign in with X), and nothing is linked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engagement.admin import set_config
from engagement.connections import PendingConnect, start_connect, verify_connect
from engagement.errors import Refused
from engagement.models import VerifiedBy
from engagement.services import Services
from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.conftest import dump_keyspace

ALICE = "100000000000000001"
ADMIN = "900000000000000001"


async def gate(store: Store, **values: int) -> None:
    for name, value in values.items():
        await set_config(store, ADMIN, name, str(value))


async def code(services: Services, handle: str) -> str:
    pending = await start_connect(services, ALICE, handle)
    assert isinstance(pending, PendingConnect)
    return pending.code


async def nothing_linked(store: Store, x_id: str) -> None:
    connection = await store.get_connection(ALICE)
    assert connection is None or not connection.connected
    assert await store.member_for_x_user(x_id) is None


async def test_a_three_day_old_account_is_refused_by_bio_code(services: Services, store: Store, fake_x: FakeX) -> None:
    await gate(store, min_account_age_days=30)
    x_id = fake_x.add_user("bob", created_at=services.now() - timedelta(days=3, hours=2), followers=500)
    fake_x.set_description(x_id, f"gm {await code(services, 'bob')}")
    before = await dump_keyspace(store.redis)
    with pytest.raises(Refused) as refused:
        await verify_connect(services, ALICE)
    assert str(refused.value) == (
        "@bob is 3 days old; this server needs accounts at least 30 days old. Nothing was linked."
    )
    assert await dump_keyspace(store.redis) == before  # the code stays: nothing linked, no proof recorded
    await nothing_linked(store, x_id)


async def test_an_account_with_too_few_followers_is_refused(services: Services, store: Store, fake_x: FakeX) -> None:
    await gate(store, min_followers=100)
    x_id = fake_x.add_user("bob", followers=12)
    fake_x.add_tweet(x_id, f"proof {await code(services, 'bob')}")
    with pytest.raises(
        Refused, match=r"^@bob has 12 followers; this server needs accounts with at least 100 followers"
    ):
        await verify_connect(services, ALICE)
    await nothing_linked(store, x_id)


async def test_an_account_old_and_followed_enough_links(services: Services, store: Store, fake_x: FakeX) -> None:
    await gate(store, min_account_age_days=30, min_followers=100)
    x_id = fake_x.add_user("bob", created_at=services.now() - timedelta(days=30), followers=100)
    fake_x.set_description(x_id, await code(services, "bob"))
    result = await verify_connect(services, ALICE)
    assert (result.x_user_id, result.verified_by) == (x_id, VerifiedBy.BIO)


async def test_with_no_gate_a_new_account_links(services: Services, store: Store, fake_x: FakeX) -> None:
    x_id = fake_x.add_user("bob", followers=0)  # created just now
    fake_x.set_description(x_id, await code(services, "bob"))
    assert (await verify_connect(services, ALICE)).x_user_id == x_id


async def test_an_account_proved_before_is_checked_again_here(services: Services, store: Store, fake_x: FakeX) -> None:
    x_id = fake_x.add_user("bob", followers=5)
    fake_x.set_description(x_id, await code(services, "bob"))
    await verify_connect(services, ALICE)
    await store.unlink_account(ALICE)
    await gate(store, min_followers=10)  # this community now asks more: the proof alone does not link
    with pytest.raises(Refused, match="@bob has 5 followers"):
        await start_connect(services, ALICE, "bob")
    await nothing_linked(store, x_id)
