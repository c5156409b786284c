"""Likes paid through the authors' own Sign in with X: the real flow against the fake X's OAuth, then real batches
whose vault (built from the settings) refreshes tokens ahead of expiry, and stops reading likes when X refuses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from engagement.batch import COMPLETED, PARTIAL
from engagement.services import Services
from engagement.settings import Settings, load_settings
from engagement.store import Store
from engagement.x import XClient
from engagement.x_oauth import REFRESH_AHEAD_SECONDS, XOAuthClient, XTokens
from engagement.x_oauth.sign_in import authorize_url, finish_sign_in, sign_in_link
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.engagement.batch_world import BatchWorld
from tests.fakes.x_tokens import with_token_key

PANEL = "http://panel.test"
CLIENT_ID = "fake-client"
ACCESS_SECONDS = 7200  # what the fake's access tokens last
SignIn = Callable[[str], Awaitable[None]]
DUE = ACCESS_SECONDS - REFRESH_AHEAD_SECONDS + 1  # from sign-in: an access token with under 10 minutes left


@pytest.fixture
def settings(fake_x: FakeX) -> Settings:
    fake_x.register_oauth_client(CLIENT_ID, f"{PANEL}/oauth/x/callback")
    update = {
        "x_oauth_client_id": CLIENT_ID,
        "public_base_url": PANEL,
        "x_api_base_url": fake_x.base_url,
        "x_authorize_url": f"{fake_x.base_url}/i/oauth2/authorize",
    }
    configured = with_token_key(load_settings()).model_copy(update=update)
    assert configured.x_sign_in
    return configured


@pytest.fixture
def world(store: Store, fake_x: FakeX, x_client: XClient, clock: FakeClock, settings: Settings) -> BatchWorld:
    return BatchWorld(store, fake_x, x_client, clock, settings=settings)  # one community: the vault from settings


@pytest.fixture
async def signed_in(world: BatchWorld) -> AsyncIterator[SignIn]:
    """`await signed_in(name)`: that member signs in with X through the fake's OAuth, as the web routes do."""
    services = Services(settings=world.settings, store=world.store, x=world.x, clock=world.clock)
    oauth = XOAuthClient(world.settings)
    tokens = XTokens.from_settings(services.communities.shared, world.settings)

    async def sign_in(name: str) -> None:
        link = await sign_in_link(services, world.discord(name), None)
        state = parse_qs(urlsplit(link).query)["state"][0]
        callback = world.fake.approve(await authorize_url(services, oauth, state), name)
        code = parse_qs(urlsplit(callback).query)["code"][0]
        result = await finish_sign_in(services, oauth, tokens, state, code)
        assert result.x_user_id == world.x_id(name)

    yield sign_in
    await oauth.aclose()
    await tokens.aclose()


async def record(world: BatchWorld, name: str) -> dict[str, str]:
    return await Services(world.settings, world.store, world.x).communities.shared.x_token_record(world.x_id(name))


async def liked_posts(world: BatchWorld) -> None:
    """alice (tier 1) posts t1; bob (2), carol (3), dave (1), a stranger and alice herself like it."""
    for name, tier in (("alice", 1), ("bob", 2), ("carol", 3), ("dave", 1)):
        await world.member(name, tier)
    await world.member("stranger", linked=False)
    await world.submit("t1", "alice")
    for name in ("bob", "carol", "dave", "stranger", "alice"):
        world.fake.like(world.x_id(name), world.tweets["t1"])


async def test_likes_on_a_signed_in_member_s_posts_are_paid_by_tier(world: BatchWorld, signed_in: SignIn) -> None:
    await liked_posts(world)
    await world.member("erin")
    await world.submit("t2", "erin")  # erin never signed in: her likes are not read
    world.fake.like(world.x_id("bob"), world.tweets["t2"])
    await signed_in("alice")

    outcome = await world.run()

    assert outcome.status == COMPLETED, outcome.summary()
    r = world.row
    assert await world.awards() == {r("t1", "bob", "like", 2), r("t1", "carol", "like", 3), r("t1", "dave", "like", 1)}
    assert outcome.tally.likes_untracked == 1  # erin's post
    assert world.fake.request_counts["liking_users"] == 1
    assert world.fake.oauth_requests == {"authorization_code": 1}  # a fresh token: nothing refreshed


async def test_a_token_about_to_expire_is_refreshed_once_by_the_batch(
    world: BatchWorld, signed_in: SignIn, clock: FakeClock
) -> None:
    await liked_posts(world)
    await signed_in("alice")
    before = await record(world, "alice")
    clock.advance(DUE)

    first = await world.run()

    assert first.status == COMPLETED, first.summary()
    assert world.fake.oauth_requests["refresh_token"] == 1
    r = world.row
    paid = {r("t1", "bob", "like", 2), r("t1", "carol", "like", 3), r("t1", "dave", "like", 1)}
    assert await world.awards() == paid
    after = await record(world, "alice")
    assert after["status"] == "ok"
    assert after["refresh"] != before["refresh"]  # the rotated pair was stored
    assert int(after["expires_at"]) == int(clock.now) + ACCESS_SECONDS

    erin = await world.member("erin", 2)
    world.fake.like(erin.x_id, world.tweets["t1"])  # the likes move again: the token is read again
    clock.advance(60)
    second = await world.run()

    assert second.status == COMPLETED, second.summary()
    assert world.fake.oauth_requests["refresh_token"] == 1  # still fresh: not refreshed twice
    assert await world.awards() == paid | {r("t1", "erin", "like", 2)}
    assert world.fake.request_counts["liking_users"] == 2


async def test_a_refresh_x_refuses_marks_needs_reauth_and_likes_stop(
    world: BatchWorld, signed_in: SignIn, clock: FakeClock
) -> None:
    await liked_posts(world)
    world.fake.reply(world.x_id("bob"), world.tweets["t1"])  # the rest of the post is still paid
    await signed_in("alice")
    world.fake.end_grants(world.x_id("alice"))  # alice revoked the app at X
    clock.advance(DUE)

    first = await world.run()

    assert first.status == COMPLETED, first.summary()
    assert world.fake.oauth_requests["refresh_token"] == 1
    assert (await record(world, "alice"))["status"] == "needs_reauth"
    assert first.tally.likes_untracked == 1
    assert world.fake.request_counts["liking_users"] == 0  # likes not read
    assert await world.awards() == {world.row("t1", "bob", "reply", 6)}

    erin = await world.member("erin", 2)
    world.fake.like(erin.x_id, world.tweets["t1"])
    clock.advance(60)
    second = await world.run()

    assert second.status == COMPLETED, second.summary()
    assert world.fake.oauth_requests["refresh_token"] == 1  # X is not asked again
    assert second.tally.likes_untracked == 1
    assert world.fake.request_counts["liking_users"] == 0
    assert await world.awards() == {world.row("t1", "bob", "reply", 6)}


async def test_a_token_revoked_at_x_mid_life_stops_only_that_author_s_likes(
    world: BatchWorld, signed_in: SignIn, clock: FakeClock
) -> None:
    await liked_posts(world)
    await world.member("erin", 2)
    await world.submit("t2", "erin")
    world.fake.like(world.x_id("bob"), world.tweets["t2"])
    await signed_in("alice")
    await signed_in("erin")
    world.fake.end_grants(world.x_id("alice"))  # her access token still has 2 hours on it, but X now says 401

    first = await world.run()

    assert first.status == PARTIAL, first.summary()  # the batch records that alice's post could not be read
    assert first.tally.carried_over == 1
    [error] = first.tally.errors
    assert f"liking_users failed for tweet {world.tweets['t1']}" in error
    assert await world.awards() == {world.row("t2", "bob", "like", 2)}  # erin's likes are paid as ever
    assert (await record(world, "alice"))["status"] == "ok"
    world.fake.like(world.x_id("carol"), world.tweets["t2"])
    clock.advance(60)
    second = await world.run()  # the refused token counts as expired: refreshed, X refuses, needs_reauth

    assert second.status == COMPLETED, second.summary()
    assert world.fake.oauth_requests["refresh_token"] == 1
    assert (await record(world, "alice"))["status"] == "needs_reauth"
    assert (await record(world, "erin"))["status"] == "ok"
    assert second.tally.likes_untracked == 1  # alice's post: its likes wait for her to sign in again
    assert await world.awards() == {world.row("t2", "bob", "like", 2), world.row("t2", "carol", "like", 3)}
