"""The Sign in with X flow in the core: a one-time state bound to the member and the community, the code
exchanged with PKCE, the account linked with verified_by=oauth under the usual rules; every bad input refused
with its reason and nothing changed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from engagement.errors import Refused
from engagement.models import VerifiedBy
from engagement.services import Services
from engagement.settings import Settings
from engagement.store import Store
from engagement.x_oauth import XOAuthClient, XOAuthRefused, XTokens
from engagement.x_oauth._client import new_verifier
from engagement.x_oauth.sign_in import NOT_SET_UP, authorize_url, browser_binding, finish_sign_in, sign_in_link
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock, dump_keyspace

ALICE = "100000000000000001"
BOB = "100000000000000002"


@pytest.fixture
def services(oauth_settings: Settings, store: Store, clock: FakeClock) -> Services:
    return Services(settings=oauth_settings, store=store, x=None, clock=clock)  # type: ignore[arg-type]


def _state(link: str) -> str:
    return parse_qs(urlsplit(link).query)["state"][0]


async def _approved(services: Services, oauth: XOAuthClient, fake_x: FakeX, member: str, username: str) -> dict:
    """Up to X's redirect back: the callback's query (state, code)."""
    state = _state(await sign_in_link(services, member, None))
    callback = fake_x.approve(await authorize_url(services, oauth, state), username)
    return {key: values[0] for key, values in parse_qs(urlsplit(callback).query).items()}


async def test_a_sign_in_links_the_account_by_oauth_and_stores_its_tokens(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store
) -> None:
    alice_x = fake_x.add_user("alice")
    answer = await _approved(services, oauth, fake_x, ALICE, "alice")
    result = await finish_sign_in(services, oauth, tokens, answer["state"], answer["code"])
    assert (result.handle, result.x_user_id, result.verified_by) == ("alice", alice_x, VerifiedBy.OAUTH)
    connection = await store.get_connection(ALICE)
    assert connection is not None
    assert connection.x_user_id == alice_x
    assert await tokens.access_token(alice_x) is not None
    link = await sign_in_link(services, ALICE, None)
    assert link.startswith("http://panel.test/oauth/x/start?state=")


async def test_the_authorize_url_carries_pkce_s256_and_the_scopes(
    services: Services, oauth: XOAuthClient, fake_x: FakeX
) -> None:
    state = _state(await sign_in_link(services, ALICE, None))
    query = parse_qs(urlsplit(await authorize_url(services, oauth, state)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["scope"] == ["tweet.read users.read like.read offline.access"]
    assert query["redirect_uri"] == ["http://panel.test/oauth/x/callback"]


async def _refused_and_unchanged(store: Store, work: object, message: str) -> None:
    before = await dump_keyspace(store.redis)
    with pytest.raises(Refused, match=message):
        await work  # type: ignore[misc]
    assert await dump_keyspace(store.redis) == before


async def test_a_replayed_callback_is_refused_and_changes_nothing(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store
) -> None:
    fake_x.add_user("alice")
    answer = await _approved(services, oauth, fake_x, ALICE, "alice")
    await finish_sign_in(services, oauth, tokens, answer["state"], answer["code"])
    replay = finish_sign_in(services, oauth, tokens, answer["state"], answer["code"])
    await _refused_and_unchanged(store, replay, "expired .* or was already used")


@pytest.mark.parametrize("state", ["", "short", "x" * 200, "not a state!" * 3, "a" * 43])
async def test_a_bad_or_unknown_state_is_refused(
    services: Services, oauth: XOAuthClient, tokens: XTokens, store: Store, state: str
) -> None:
    await _refused_and_unchanged(store, authorize_url(services, oauth, state), "expired")
    await _refused_and_unchanged(store, finish_sign_in(services, oauth, tokens, state, "code"), "expired")


async def test_a_sign_in_cancelled_at_x_links_nothing(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store
) -> None:
    fake_x.add_user("alice")
    state = _state(await sign_in_link(services, ALICE, None))
    with pytest.raises(Refused, match="cancelled at X"):
        await finish_sign_in(services, oauth, tokens, state, "", "access_denied")
    assert await store.get_connection(ALICE) is None


async def test_a_code_exchanged_too_late_is_refused_and_links_nothing(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store, clock: FakeClock
) -> None:
    fake_x.add_user("alice")
    answer = await _approved(services, oauth, fake_x, ALICE, "alice")
    clock.advance(31)  # X allows about 30 s
    with pytest.raises(Refused, match="X did not accept"):
        await finish_sign_in(services, oauth, tokens, answer["state"], answer["code"])
    assert await store.get_connection(ALICE) is None


async def test_an_account_linked_to_another_member_is_refused_and_its_grant_revoked(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store
) -> None:
    alice_x = fake_x.add_user("alice")
    first = await _approved(services, oauth, fake_x, ALICE, "alice")
    await finish_sign_in(services, oauth, tokens, first["state"], first["code"])
    second = await _approved(services, oauth, fake_x, BOB, "alice")
    with pytest.raises(Refused, match="already linked to another member"):
        await finish_sign_in(services, oauth, tokens, second["state"], second["code"])
    assert await store.get_connection(BOB) is None
    assert fake_x.oauth_requests["revoke"] == 1
    assert (await tokens.store.x_token_record(alice_x))["discord_id"] == ALICE  # Alice's sign-in untouched


async def test_without_configuration_no_link_is_made(services: Services, store: Store) -> None:
    bare = services.settings.model_copy(update={"x_oauth_client_id": None})
    unset = Services(settings=bare, store=store, x=None)  # type: ignore[arg-type]
    await _refused_and_unchanged(store, sign_in_link(unset, ALICE, None), NOT_SET_UP[:40])


async def test_only_the_browser_that_started_a_sign_in_can_finish_it(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store
) -> None:
    fake_x.add_user("alice")
    fake_x.add_user("mallory")
    alices = await _approved(services, oauth, fake_x, ALICE, "alice")
    mallorys = await _approved(services, oauth, fake_x, BOB, "mallory")
    # Mallory's callback (her state and code) opened in Alice's browser, which holds Alice's own binding
    theirs = finish_sign_in(
        services, oauth, tokens, mallorys["state"], mallorys["code"], binding=browser_binding(alices["state"])
    )
    await _refused_and_unchanged(store, theirs, "started in another browser or by someone else")
    missing = finish_sign_in(services, oauth, tokens, alices["state"], alices["code"], binding="")
    await _refused_and_unchanged(store, missing, "started in another browser")
    done = await finish_sign_in(
        services, oauth, tokens, alices["state"], alices["code"], binding=browser_binding(alices["state"])
    )
    assert done.handle == "alice"


async def test_a_wrong_pkce_verifier_is_refused_by_x(oauth: XOAuthClient, fake_x: FakeX, clock: FakeClock) -> None:
    fake_x.add_user("alice")
    callback = fake_x.approve(oauth.authorize_url("state-1234567890abcdef", new_verifier()), "alice")
    code = parse_qs(urlsplit(callback).query)["code"][0]
    with pytest.raises(XOAuthRefused):
        await oauth.exchange_code(code, new_verifier(), clock.now)


async def test_the_account_x_names_is_linked_not_the_handle_the_member_claimed(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store
) -> None:
    fake_x.add_user("alice")
    bob_x = fake_x.add_user("bob")
    await store.save_verification(ALICE, "ENG-ABCDEF", "alice")  # /connect handle:alice, code not shown yet
    answer = await _approved(services, oauth, fake_x, ALICE, "bob")  # then signed in as @bob at X
    result = await finish_sign_in(services, oauth, tokens, answer["state"], answer["code"])
    assert (result.handle, result.x_user_id) == ("bob", bob_x)
    assert await tokens.status(bob_x) == "ok"
