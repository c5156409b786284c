"""The fake X's OAuth 2.0 (Sign in with X): approve page, PKCE code exchange, rotating refresh, revocation."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from sandbox.fake_x import FakeX
from tests.conftest import FakeClock

EMPTY: Mapping[str, str] = {}
CALLBACK = "http://127.0.0.1:9/x/callback"
SCOPE = "tweet.read users.read like.read offline.access"
BAD_CODE = {"error": "invalid_request", "error_description": "Value passed for the authorization code was invalid."}
BAD_VERIFIER = {
    "error": "invalid_request",
    "error_description": "Value passed for the code verifier did not match the code challenge.",
}
BAD_TOKEN = {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}
UNSUPPORTED_GRANT = {
    "error": "unsupported_grant_type",
    "error_description": "Value passed for the grant type was invalid.",
}
NO_CLIENT = {"error": "unauthorized_client", "error_description": "Missing valid authorization header"}
APP_ONLY = {
    "title": "Unsupported Authentication",
    "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported "
    "authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
    "type": "https://api.x.com/2/problems/unsupported-authentication",  # the host the fake's problems all use
    "status": 403,
}
NOT_YOURS = {"title": "Forbidden", "type": "about:blank", "status": 403, "detail": "Forbidden"}


class Flow:
    """One "Sign in with X" attempt by the app `client_id`, with its own PKCE verifier and state."""

    def __init__(self, fake: FakeX, http: httpx.AsyncClient, client_id: str = "app", **overrides: str) -> None:
        self.fake, self.http, self.client_id = fake, http, client_id
        self.verifier = secrets.token_urlsafe(48)
        digest = hashlib.sha256(self.verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        self.params = {"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "scope": SCOPE}
        state = secrets.token_urlsafe(16)
        self.params |= {"state": state, "code_challenge": challenge, "code_challenge_method": "S256"}
        self.params |= overrides

    @property
    def url(self) -> str:
        return f"{self.fake.base_url}/i/oauth2/authorize?{urlencode(self.params)}"

    def code(self, username: str) -> str:
        query = parse_qs(urlsplit(self.fake.approve(self.url, username)).query)
        assert query["state"] == [self.params["state"]]
        return query["code"][0]

    async def post(self, path: str, form: dict[str, str], auth: tuple[str, str] | None = None) -> httpx.Response:
        basic = httpx.BasicAuth(*auth) if auth else httpx.USE_CLIENT_DEFAULT
        return await self.http.post(f"{self.fake.base_url}{path}", data=form, auth=basic)

    async def exchange(
        self, issued: str, auth: tuple[str, str] | None = None, overrides: Mapping[str, str] = EMPTY
    ) -> httpx.Response:
        form = {"grant_type": "authorization_code", "code": issued, "redirect_uri": CALLBACK}
        form |= {"code_verifier": self.verifier, "client_id": self.client_id, **overrides}
        return await self.post("/2/oauth2/token", form, auth)

    async def refresh(self, refresh_token: str, auth: tuple[str, str] | None = None) -> httpx.Response:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": self.client_id}
        return await self.post("/2/oauth2/token", form, auth)

    async def revoke(self, token: str, auth: tuple[str, str] | None = None, **extra: str) -> httpx.Response:
        return await self.post("/2/oauth2/revoke", {"token": token, "client_id": self.client_id, **extra}, auth)

    async def tokens(self, username: str) -> Any:
        answer = await self.exchange(self.code(username))
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def get(self, path: str, token: str) -> httpx.Response:
        return await self.http.get(f"{self.fake.base_url}{path}", headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
async def http(fake_x: FakeX) -> AsyncIterator[httpx.AsyncClient]:
    fake_x.register_oauth_client("app", CALLBACK)
    async with httpx.AsyncClient(follow_redirects=False) as client:
        yield client


@pytest.fixture
def flow(fake_x: FakeX, http: httpx.AsyncClient) -> Flow:
    return Flow(fake_x, http)


def _refused(answer: httpx.Response, status: int, body: dict[str, str]) -> None:
    assert (answer.status_code, answer.json()) == (status, body)
    assert "access_token" not in answer.text


async def test_sign_in_through_the_page_then_read_my_own_likes(fake_x: FakeX, flow: Flow) -> None:
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    post = fake_x.add_tweet(author)
    fake_x.like(fan, post)

    page = await flow.http.get(flow.url)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    state = f'name="state" value="{flow.params["state"]}"'
    for piece in ('<form method="post" action="/i/oauth2/authorize">', 'name="username"', state, "Cancel</button>"):
        assert piece in page.text
    assert "Authorize app</button>" in page.text
    assert "<script" not in page.text

    form = {**flow.params, "username": "author", "action": "authorize"}
    approved = await flow.post("/i/oauth2/authorize", form)
    assert approved.status_code == 302
    location = approved.headers["location"]
    assert location.startswith(CALLBACK + "?state=")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == [flow.params["state"]]

    answer = await flow.exchange(query["code"][0])
    assert answer.status_code == 200
    tokens = answer.json()
    assert set(tokens) == {"token_type", "expires_in", "access_token", "scope", "refresh_token"}
    assert (tokens["token_type"], tokens["expires_in"], tokens["scope"]) == ("bearer", 7200, SCOPE)

    me = await flow.get("/2/users/me", tokens["access_token"])
    assert me.json() == {"data": {"id": author, "name": "Author", "username": "author"}}
    likers = await flow.get(f"/2/tweets/{post}/liking_users", tokens["access_token"])
    assert [user["id"] for user in likers.json()["data"]] == [fan]
    assert fake_x.oauth_requests == {"authorization_code": 1}


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"client_id": "stranger"}, "Unknown client_id"),
        ({"redirect_uri": "http://127.0.0.1:9/elsewhere"}, "redirect_uri does not match"),
        ({"response_type": "token"}, "response_type must be code"),
        ({"code_challenge_method": "plain"}, "code_challenge_method must be S256"),
        ({"code_challenge": ""}, "Missing code_challenge"),
        ({"state": ""}, "Missing state"),
        ({"scope": ""}, "Missing scope"),
        ({"scope": "tweet.read tweet.write"}, "Unsupported scope: tweet.write"),
    ],
)
async def test_a_bad_authorize_request_gets_a_page_never_a_redirect(
    fake_x: FakeX, http: httpx.AsyncClient, override: dict[str, str], message: str
) -> None:
    fake_x.add_user("someone")
    flow = Flow(fake_x, http, **override)

    page = await http.get(flow.url)
    posted = await flow.post("/i/oauth2/authorize", {**flow.params, "username": "someone", "action": "authorize"})
    cancelled = await flow.post("/i/oauth2/authorize", {**flow.params, "action": "cancel"})

    for answer in (page, posted, cancelled):
        assert (answer.status_code, "location" in answer.headers) == (400, False)
        assert message in answer.text
        assert "<form" not in answer.text
    with pytest.raises(ValueError, match=message):
        fake_x.approve(flow.url, "someone")


async def test_an_unknown_username_is_refused(fake_x: FakeX, flow: Flow) -> None:
    answer = await flow.post("/i/oauth2/authorize", {**flow.params, "username": "nobody", "action": "authorize"})

    assert (answer.status_code, "location" in answer.headers) == (400, False)
    assert "No X account is named @nobody" in answer.text
    with pytest.raises(ValueError, match="nobody"):
        fake_x.approve(flow.url, "nobody")


async def test_cancel_sends_access_denied_back(flow: Flow) -> None:
    answer = await flow.post("/i/oauth2/authorize", {**flow.params, "action": "cancel"})

    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query == {"error": ["access_denied"], "state": [flow.params["state"]]}


async def test_a_code_works_once_and_for_thirty_seconds(fake_x: FakeX, flow: Flow, clock: FakeClock) -> None:
    fake_x.add_user("someone")
    fresh, stale = flow.code("someone"), flow.code("someone")
    clock.advance(29)

    assert (await flow.exchange(fresh)).status_code == 200
    _refused(await flow.exchange(fresh), 400, BAD_CODE)
    clock.advance(2)  # 31 s after issue
    _refused(await flow.exchange(stale), 400, BAD_CODE)


@pytest.mark.parametrize(
    ("override", "status", "body"),
    [
        ({"code_verifier": secrets.token_urlsafe(48)}, 400, BAD_VERIFIER),
        ({"redirect_uri": "http://127.0.0.1:9/elsewhere"}, 400, BAD_CODE),
        ({"code": "made-up"}, 400, BAD_CODE),
        ({"code_verifier": ""}, 400, {**BAD_CODE, "error_description": "Missing required parameter [code_verifier]."}),
        ({"client_id": "stranger"}, 401, NO_CLIENT),
        ({"grant_type": "password"}, 400, UNSUPPORTED_GRANT),
    ],
)
async def test_a_bad_exchange_issues_no_token(
    fake_x: FakeX, flow: Flow, override: dict[str, str], status: int, body: dict[str, str]
) -> None:
    fake_x.add_user("someone")

    _refused(await flow.exchange(flow.code("someone"), overrides=override), status, body)


async def test_refresh_rotates_and_the_old_refresh_token_is_refused(fake_x: FakeX, flow: Flow) -> None:
    fake_x.add_user("someone")
    first = await flow.tokens("someone")

    answer = await flow.refresh(first["refresh_token"])
    assert answer.status_code == 200
    second = answer.json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert (second["expires_in"], second["scope"]) == (7200, SCOPE)

    _refused(await flow.refresh(first["refresh_token"]), 400, BAD_TOKEN)
    _refused(await flow.refresh("made-up"), 400, BAD_TOKEN)
    for token in (first["access_token"], second["access_token"]):  # the old one lives until its expiry
        assert (await flow.get("/2/users/me", token)).status_code == 200
    assert (await flow.refresh(second["refresh_token"])).status_code == 200
    assert fake_x.oauth_requests == {"authorization_code": 1, "refresh_token": 4}


async def test_two_concurrent_refreshes_one_wins(fake_x: FakeX, flow: Flow) -> None:
    fake_x.add_user("someone")
    refresh_token = (await flow.tokens("someone"))["refresh_token"]

    answers = await asyncio.gather(flow.refresh(refresh_token), flow.refresh(refresh_token))

    assert sorted(answer.status_code for answer in answers) == [200, 400]
    _refused(next(a for a in answers if a.status_code == 400), 400, BAD_TOKEN)


@pytest.mark.parametrize("which", ["access_token", "refresh_token"])
async def test_revoking_either_token_ends_the_grant(fake_x: FakeX, flow: Flow, which: str) -> None:
    fake_x.add_user("someone")
    tokens = await flow.tokens("someone")
    other = await flow.tokens("someone")  # a second grant of the same member is not touched

    answer = await flow.revoke(tokens[which], token_type_hint=which)

    assert (answer.status_code, answer.json()) == (200, {"revoked": True})
    assert (await flow.get("/2/users/me", tokens["access_token"])).status_code == 401
    _refused(await flow.refresh(tokens["refresh_token"]), 400, BAD_TOKEN)
    assert (await flow.get("/2/users/me", other["access_token"])).status_code == 200
    assert fake_x.oauth_requests["revoke"] == 1


async def test_an_access_token_expires_after_two_hours(fake_x: FakeX, flow: Flow, clock: FakeClock) -> None:
    post = fake_x.add_tweet(fake_x.add_user("someone"))
    tokens = await flow.tokens("someone")
    clock.advance(7199)
    assert (await flow.get("/2/users/me", tokens["access_token"])).status_code == 200
    clock.advance(1)

    for path in ("/2/users/me", f"/2/tweets/{post}/liking_users", f"/2/tweets?ids={post}"):
        expired = await flow.get(path, tokens["access_token"])
        assert (expired.status_code, expired.json()["title"]) == (401, "Unauthorized")
    assert (await flow.refresh(tokens["refresh_token"])).status_code == 200


async def test_liking_users_is_for_the_authors_user_token_only(fake_x: FakeX, flow: Flow) -> None:
    author, fan = fake_x.add_user("author"), fake_x.add_user("fan")
    post = fake_x.add_tweet(author)
    fake_x.like(fan, post)
    fans_token = (await flow.tokens("fan"))["access_token"]

    as_app = await flow.get(f"/2/tweets/{post}/liking_users", fake_x.bearer_token)
    as_fan = await flow.get(f"/2/tweets/{post}/liking_users", fans_token)
    me_as_app = await flow.get("/2/users/me", fake_x.bearer_token)

    assert (as_app.status_code, as_app.json()) == (403, APP_ONLY)
    assert (me_as_app.status_code, me_as_app.json()) == (403, APP_ONLY)
    assert (as_fan.status_code, as_fan.json()) == (403, NOT_YOURS)


async def test_without_offline_access_there_is_no_refresh_token(fake_x: FakeX, http: httpx.AsyncClient) -> None:
    fake_x.add_user("someone")
    flow = Flow(fake_x, http, scope="users.read tweet.read")

    tokens = await flow.tokens("someone")

    assert "refresh_token" not in tokens
    assert tokens["scope"] == "users.read tweet.read"


async def test_a_confidential_client_authenticates_with_basic(fake_x: FakeX, http: httpx.AsyncClient) -> None:
    fake_x.add_user("someone")
    fake_x.register_oauth_client("server", CALLBACK, secret="s3cret")
    flow = Flow(fake_x, http, client_id="server")
    basic = ("server", "s3cret")

    _refused(await flow.exchange(flow.code("someone")), 401, NO_CLIENT)
    _refused(await flow.exchange(flow.code("someone"), auth=("server", "wrong")), 401, NO_CLIENT)
    answer = await flow.exchange(flow.code("someone"), auth=basic)
    assert answer.status_code == 200
    tokens = answer.json()

    _refused(await flow.refresh(tokens["refresh_token"]), 401, NO_CLIENT)
    assert (await flow.revoke(tokens["access_token"])).status_code == 401
    assert (await flow.get("/2/users/me", tokens["access_token"])).status_code == 200, "not revoked"
    assert (await flow.revoke(tokens["access_token"], auth=basic)).json() == {"revoked": True}
    assert (await flow.get("/2/users/me", tokens["access_token"])).status_code == 401


async def test_expire_and_end_grants_hooks(fake_x: FakeX, flow: Flow) -> None:
    someone = fake_x.add_user("someone")
    granted = fake_x.grant_user_token(someone)
    tokens = await flow.tokens("someone")

    fake_x.expire_user_tokens(someone)
    for token in (granted, tokens["access_token"]):
        assert (await flow.get("/2/users/me", token)).status_code == 401
    refreshed = (await flow.refresh(tokens["refresh_token"])).json()
    assert (await flow.get("/2/users/me", refreshed["access_token"])).status_code == 200

    fake_x.end_grants(someone)
    assert (await flow.get("/2/users/me", refreshed["access_token"])).status_code == 401
    _refused(await flow.refresh(refreshed["refresh_token"]), 400, BAD_TOKEN)


def test_registering_clients_refuses_nonsense(fake_x: FakeX) -> None:
    fake_x.register_oauth_client("app", CALLBACK)
    with pytest.raises(ValueError, match="taken"):
        fake_x.register_oauth_client("app", CALLBACK)
    with pytest.raises(ValueError, match="http"):
        fake_x.register_oauth_client("other", "javascript:alert(1)")
    fake_x.set_limit("users_me", 5)  # the fake knows users_me, though the product's adapter does not call it
