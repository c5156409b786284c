"""Discord login: state single use, a new session id at every login, logout, idle and absolute expiry."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from engagement.discord_oauth import DiscordOAuth
from engagement.services import Services
from engagement.settings import Settings
from engagement.store import Store
from engagement.web_sessions import ABSOLUTE_SECONDS, IDLE_SECONDS, ROLES_SECONDS
from tests.conftest import FakeClock, dump_keyspace
from tests.fakes.discord_oauth import FakeDiscordOAuth
from tests.web.conftest import HOME, OTHER, Panel
from web.app import create_app


async def test_login_opens_a_session_with_the_served_communities(panel: Panel) -> None:
    done = await panel.login(panel.member)
    assert done.status_code == 303
    assert done.headers["location"] == "/"
    cookie = done.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie
    home = await panel.client.get("/")
    assert f"/c/{HOME}/" in home.text
    assert f"/c/{OTHER}/" not in home.text
    assert "1100000000000000009" not in home.text


async def test_authorize_url_asks_the_three_scopes_with_a_fresh_state(panel: Panel) -> None:
    first = urlsplit((await panel.client.get("/login")).headers["location"])
    second = urlsplit((await panel.client.get("/login")).headers["location"])
    query = parse_qs(first.query)
    assert query["scope"] == ["identify guilds guilds.members.read"]
    assert query["redirect_uri"] == ["http://panel.test/auth/callback"]
    assert query["state"] != parse_qs(second.query)["state"]


async def _approved_callback(panel: Panel) -> str:
    panel.discord.log_in_as(panel.admin)
    start = await panel.client.get("/login")
    async with httpx.AsyncClient() as browser:
        return str((await browser.get(start.headers["location"])).headers["location"])


async def test_a_state_works_once(panel: Panel) -> None:
    callback = await _approved_callback(panel)
    assert (await panel.client.get(callback)).status_code == 303
    panel.client.cookies.clear()
    replay = await panel.client.get(callback)
    assert replay.status_code == 401
    assert "expired or was already used" in replay.text
    assert panel.session_cookie() is None


async def test_a_wrong_or_missing_state_is_refused_before_the_code_is_used(panel: Panel) -> None:
    callback = await _approved_callback(panel)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    for query in (f"?code={code}&state=forged", f"?code={code}"):
        refused = await panel.client.get("/auth/callback" + query)
        assert refused.status_code == 401
    assert "token" not in panel.discord.calls  # the code was never exchanged
    assert (await panel.client.get(callback)).status_code == 303  # the real state still works


async def test_the_session_id_changes_at_login_and_the_old_one_ends(panel: Panel) -> None:
    await panel.login(panel.member)
    before = panel.session_cookie()
    await panel.login(panel.admin)
    after = panel.session_cookie()
    assert before
    assert after
    assert before != after
    panel.client.cookies.set("engagement_session", before, domain="panel.test")
    assert (await panel.client.get(f"/c/{HOME}/leaderboard")).headers["location"] == "/login"


async def test_a_planted_cookie_is_not_adopted(panel: Panel) -> None:
    panel.client.cookies.set("engagement_session", "chosen-by-an-attacker", domain="panel.test")
    await panel.login(panel.member)
    assert panel.session_cookie() != "chosen-by-an-attacker"


async def test_logout_ends_the_session_on_the_server(panel: Panel) -> None:
    await panel.login(panel.member)
    cookie = panel.session_cookie()
    out = await panel.client.post("/logout", data={"csrf": await panel.csrf()})
    assert out.status_code == 303
    # A copy of the cookie kept somewhere no longer opens anything.
    panel.client.cookies.set("engagement_session", str(cookie), domain="panel.test")
    assert (await panel.client.get(f"/c/{HOME}/leaderboard")).status_code == 303
    assert (await panel.client.get("/api/v1/me")).status_code == 401


async def test_logout_without_the_csrf_token_is_refused(panel: Panel) -> None:
    await panel.login(panel.member)
    assert (await panel.client.post("/logout", data={})).status_code == 403
    assert (await panel.client.get(f"/c/{HOME}/leaderboard")).status_code == 200


async def test_an_idle_session_expires(panel: Panel) -> None:
    await panel.login(panel.member)
    panel.clock.advance(IDLE_SECONDS + 1)
    assert (await panel.client.get(f"/c/{HOME}/leaderboard")).headers["location"] == "/login"


async def test_an_active_session_still_ends_at_the_absolute_limit(panel: Panel) -> None:
    await panel.login(panel.member)
    for _ in range(ABSOLUTE_SECONDS // (IDLE_SECONDS // 2)):
        panel.clock.advance(IDLE_SECONDS // 2)
        assert (await panel.client.get(f"/c/{HOME}/leaderboard")).status_code == 200
    panel.clock.advance(IDLE_SECONDS // 2)
    assert (await panel.client.get(f"/c/{HOME}/leaderboard")).headers["location"] == "/login"


async def test_a_role_change_in_discord_applies_within_minutes(panel: Panel) -> None:
    await panel.login(panel.admin)
    assert (await panel.client.get(f"/c/{HOME}/rules")).status_code == 200
    panel.admin.guilds[HOME] = 0  # Manage Server taken away
    assert (await panel.client.get(f"/c/{HOME}/rules")).status_code == 200  # still within the re-read period
    panel.clock.advance(ROLES_SECONDS)
    assert (await panel.client.get(f"/c/{HOME}/rules")).status_code == 403
    assert (await panel.client.get(f"/c/{HOME}/leaderboard")).status_code == 200


async def test_a_revoked_discord_token_ends_the_session_at_the_next_re_read(panel: Panel) -> None:
    await panel.login(panel.member)
    panel.discord.revoke_all()
    panel.clock.advance(ROLES_SECONDS)
    assert (await panel.client.get(f"/c/{HOME}/leaderboard")).headers["location"] == "/login"


async def test_redis_holds_no_usable_session_id_or_state(panel: Panel) -> None:
    state = parse_qs(urlsplit((await panel.client.get("/login")).headers["location"]).query)["state"][0]
    await panel.login(panel.member)
    dump = str(await dump_keyspace(panel.store.redis))
    assert str(panel.session_cookie()) not in dump
    assert state not in dump


async def test_the_cookie_is_secure_when_the_panel_is_served_over_https(
    web_settings: Settings, store: Store, clock: FakeClock, fake_discord: FakeDiscordOAuth
) -> None:
    settings = web_settings.model_copy(update={"public_base_url": "https://panel.example"})
    services = Services(settings=settings, store=store, x=None, clock=clock)  # type: ignore[arg-type]
    oauth = DiscordOAuth(settings)
    transport = httpx.ASGITransport(app=create_app(services, settings, oauth))
    fake_discord.log_in_as(fake_discord.add_user("100000000000000099").join(HOME))
    async with httpx.AsyncClient(transport=transport, base_url="https://panel.example") as client:
        start = await client.get("/login")
        assert "redirect_uri=https%3A%2F%2Fpanel.example%2Fauth%2Fcallback" in start.headers["location"]
        async with httpx.AsyncClient() as browser:
            callback = (await browser.get(start.headers["location"])).headers["location"]
        done = await client.get(callback)
    await oauth.aclose()
    assert "secure" in done.headers["set-cookie"].lower().split("; ")
