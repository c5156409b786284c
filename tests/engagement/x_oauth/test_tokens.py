"""The X token vault: encrypted at rest, refreshed ahead of expiry exactly once under its lock (refresh tokens
rotate), needs_reauth when X refuses, revoked on removal, re-encrypted with a new first key."""

from __future__ import annotations

import asyncio
import json

import pytest
from cryptography.fernet import Fernet

from engagement.errors import DamagedData
from engagement.store import Store
from engagement.x import XAuthError, XClient
from engagement.x_oauth import (
    NEEDS_REAUTH,
    OK,
    REAUTH_NOTICE,
    REFRESH_AHEAD_SECONDS,
    TokenCipher,
    XOAuthClient,
    XOAuthRefused,
    XTokens,
)
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock
from tests.engagement.x_oauth.conftest import granted
from tests.fakes.x_tokens import TEST_TOKEN_KEY


async def _signed_in(fake_x: FakeX, oauth: XOAuthClient, tokens: XTokens, clock: FakeClock) -> tuple[str, str]:
    """Alice signed in; returns her X id and her first access token."""
    alice = fake_x.add_user("alice")
    grant = await granted(fake_x, oauth, "alice", clock.now)
    await tokens.save("111", alice, grant)
    return alice, grant.access_token


async def test_tokens_are_encrypted_at_rest_and_read_back(
    fake_x: FakeX, oauth: XOAuthClient, tokens: XTokens, clock: FakeClock
) -> None:
    alice, access = await _signed_in(fake_x, oauth, tokens, clock)
    raw = await tokens.store.redis.hgetall(tokens.store.keys.x_token(alice))
    assert raw["status"] == OK
    assert raw["discord_id"] == "111"
    assert access not in str(raw)
    assert await tokens.access_token(alice) == access
    assert fake_x.oauth_requests["refresh_token"] == 0  # fresh: no refresh


async def test_a_token_near_expiry_is_refreshed_once_and_the_old_refresh_token_is_dead(
    fake_x: FakeX, oauth: XOAuthClient, tokens: XTokens, clock: FakeClock, x_client: XClient
) -> None:
    alice, first = await _signed_in(fake_x, oauth, tokens, clock)
    old_refresh = tokens.cipher.decrypt((await tokens.store.x_token_record(alice))["refresh"])  # type: ignore[union-attr]
    clock.advance(7200 - REFRESH_AHEAD_SECONDS + 1)
    fresh = await tokens.access_token(alice)
    assert fresh is not None
    assert fresh != first
    assert fake_x.oauth_requests["refresh_token"] == 1
    post = fake_x.add_tweet(alice)
    assert await x_client.liking_users(post, fresh) == []  # the new token works at X
    assert await tokens.access_token(alice) == fresh  # and is kept: no second refresh
    assert fake_x.oauth_requests["refresh_token"] == 1
    with pytest.raises(XOAuthRefused):
        await oauth.refresh(old_refresh, clock.now)  # X rotated it: the old one is refused


async def test_two_processes_refreshing_at_once_refresh_once_and_share_the_new_token(
    fake_x: FakeX, oauth: XOAuthClient, tokens: XTokens, clock: FakeClock, store: Store
) -> None:
    alice, _ = await _signed_in(fake_x, oauth, tokens, clock)
    other = XTokens(tokens.store, TokenCipher([TEST_TOKEN_KEY]), oauth, store.now)  # a second worker's vault
    clock.advance(7200 - 60)
    first, second = await asyncio.gather(tokens.access_token(alice), other.access_token(alice))
    assert first is not None
    assert first == second
    assert fake_x.oauth_requests["refresh_token"] == 1
    assert (await tokens.store.x_token_record(alice))["status"] == OK


async def test_a_refresh_x_refuses_marks_needs_reauth_and_is_not_tried_again(
    fake_x: FakeX, oauth: XOAuthClient, tokens: XTokens, clock: FakeClock
) -> None:
    alice, _ = await _signed_in(fake_x, oauth, tokens, clock)
    fake_x.end_grants(alice)  # the member revoked the app at X
    clock.advance(7200)
    assert await tokens.access_token(alice) is None
    assert await tokens.status(alice) == NEEDS_REAUTH
    assert await tokens.access_token(alice) is None
    assert fake_x.oauth_requests["refresh_token"] == 1
    notice = await tokens.store.pop_member_notice()  # the member is told once (the bot DMs it)
    assert notice is not None
    assert json.loads(notice) == {"discord_id": "111", "text": REAUTH_NOTICE}
    assert await tokens.store.pop_member_notice() is None


async def test_removal_revokes_at_x_and_deletes_the_record(
    fake_x: FakeX, oauth: XOAuthClient, tokens: XTokens, clock: FakeClock, x_client: XClient
) -> None:
    alice, access = await _signed_in(fake_x, oauth, tokens, clock)
    assert await tokens.remove(alice) is True
    assert fake_x.oauth_requests["revoke"] == 1
    assert await tokens.store.x_token_record(alice) == {}
    assert await tokens.status(alice) is None
    with pytest.raises(XAuthError):
        await x_client.liking_users(fake_x.add_tweet(alice), access)  # the grant is over at X too


async def test_reencryption_moves_every_token_to_the_new_first_key(
    fake_x: FakeX, oauth: XOAuthClient, tokens: XTokens, clock: FakeClock, store: Store
) -> None:
    alice, access = await _signed_in(fake_x, oauth, tokens, clock)
    new = Fernet.generate_key()
    rotating = XTokens(tokens.store, TokenCipher([new, TEST_TOKEN_KEY]), oauth, store.now)
    assert await rotating.reencrypt_all() == 1
    only_new = XTokens(tokens.store, TokenCipher([new]), oauth, store.now)
    assert await only_new.access_token(alice) == access
    with pytest.raises(DamagedData, match="cannot be decrypted"):
        await tokens.access_token(alice)  # the old key alone no longer reads it


async def test_a_damaged_record_is_a_typed_error_and_no_token(
    fake_x: FakeX, tokens: XTokens, oauth: XOAuthClient, clock: FakeClock
) -> None:
    alice, _ = await _signed_in(fake_x, oauth, tokens, clock)
    await tokens.store.update_x_token(alice, {"access": "not-a-fernet-token"})
    with pytest.raises(DamagedData):
        await tokens.access_token(alice)


async def test_a_token_x_refused_mid_batch_is_refreshed_before_its_next_use(
    fake_x: FakeX, oauth: XOAuthClient, tokens: XTokens, clock: FakeClock
) -> None:
    alice, first = await _signed_in(fake_x, oauth, tokens, clock)
    fake_x.expire_user_tokens(alice)  # X ends the access token early; the refresh token still works
    await tokens.refused(alice)
    fresh = await tokens.access_token(alice)
    assert fresh is not None
    assert fresh != first
    assert fake_x.oauth_requests["refresh_token"] == 1
