"""Sign in with X under the anti-farming link gate: /2/users/me names the account only, so the gate reads its
age and followers by handle; a refused account is not linked and its grant is revoked."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from engagement.admin import set_config
from engagement.errors import Refused
from engagement.models import VerifiedBy
from engagement.services import Services
from engagement.settings import Settings
from engagement.store import Store
from engagement.x import XClient
from engagement.x_oauth import XOAuthClient, XTokens
from engagement.x_oauth.sign_in import authorize_url, finish_sign_in, sign_in_link
from sandbox.fake_x import FakeX
from tests.conftest import FakeClock

ALICE = "100000000000000001"
ADMIN = "900000000000000001"


@pytest.fixture
def services(oauth_settings: Settings, store: Store, x_client: XClient, clock: FakeClock) -> Services:
    return Services(settings=oauth_settings, store=store, x=x_client, clock=clock)


async def gate(store: Store, **values: int) -> None:
    for name, value in values.items():
        await set_config(store, ADMIN, name, str(value))


async def _approved(services: Services, oauth: XOAuthClient, fake_x: FakeX, username: str) -> dict[str, str]:
    state = parse_qs(urlsplit(await sign_in_link(services, ALICE, None)).query)["state"][0]
    callback = fake_x.approve(await authorize_url(services, oauth, state), username)
    return {key: values[0] for key, values in parse_qs(urlsplit(callback).query).items()}


async def test_a_young_account_signing_in_with_x_is_refused_and_nothing_kept(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store
) -> None:
    await gate(store, min_account_age_days=7)
    x_id = fake_x.add_user("bob", created_at=services.now() - timedelta(hours=20), followers=900)
    answer = await _approved(services, oauth, fake_x, "bob")
    with pytest.raises(Refused, match=r"^@bob is 0 days old; this server needs accounts at least 7 days old"):
        await finish_sign_in(services, oauth, tokens, answer["state"], answer["code"])
    assert await store.get_connection(ALICE) is None
    assert await store.member_for_x_user(x_id) is None
    assert await tokens.access_token(x_id) is None


async def test_a_small_account_signing_in_with_x_is_refused(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store
) -> None:
    await gate(store, min_followers=10)
    fake_x.add_user("bob", created_at=services.now() - timedelta(days=400), followers=9)
    answer = await _approved(services, oauth, fake_x, "bob")
    with pytest.raises(Refused, match=r"^@bob has 9 followers; this server needs accounts with at least 10"):
        await finish_sign_in(services, oauth, tokens, answer["state"], answer["code"])
    assert await store.get_connection(ALICE) is None


async def test_an_old_account_signing_in_with_x_links(
    services: Services, oauth: XOAuthClient, tokens: XTokens, fake_x: FakeX, store: Store
) -> None:
    await gate(store, min_account_age_days=7, min_followers=10)
    x_id = fake_x.add_user("bob", created_at=services.now() - timedelta(days=400), followers=10)
    answer = await _approved(services, oauth, fake_x, "bob")
    result = await finish_sign_in(services, oauth, tokens, answer["state"], answer["code"])
    assert (result.x_user_id, result.verified_by) == (x_id, VerifiedBy.OAUTH)
