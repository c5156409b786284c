"""Personal API tokens: made on the tokens page (shown once, stored hashed, audited), used as a Bearer token,
scoped to one community and one role, revoked at once."""

from __future__ import annotations

import hashlib

import pytest

from engagement.api_tokens import TOUCH_SECONDS
from tests.conftest import dump_keyspace
from tests.web.api.conftest import bearer, fresh_client, make_token
from tests.web.conftest import HOME, OTHER, Panel

A = f"/api/v1/communities/{HOME}"
T = f"/c/{HOME}/tokens"


async def test_a_token_is_shown_once_stored_hashed_and_audited(admin_panel: Panel) -> None:
    panel = admin_panel
    secret = await make_token(panel, "member", "weekly report")
    assert secret.startswith("eng_")
    listing = await panel.client.get(T)
    assert "weekly report" in listing.text
    assert secret not in listing.text  # only the answer to the POST shows it
    keys = await dump_keyspace(panel.store.redis)
    assert not any(secret in str(value) or secret in key for key, value in keys.items())
    assert any(hashlib.sha256(secret.encode()).hexdigest() in key for key in keys)
    audit = await panel.store.audit_entries()
    assert audit[0]["action"] == "api-token-create"
    assert audit[0]["actor"] == panel.admin.id
    assert audit[0]["new"] == "weekly report (member)"


async def test_the_token_authenticates_and_its_last_use_is_shown(admin_panel: Panel) -> None:
    panel = admin_panel
    secret = await make_token(panel, "admin")
    assert "never" in (await panel.client.get(T)).text
    async with fresh_client(panel) as client:
        assert (await client.get(f"{A}/rules")).status_code == 401  # no token, no cookie
        me = (await client.get("/api/v1/me", headers=bearer(secret))).json()
        assert me == {"user_id": panel.admin.id, "communities": [{"guild_id": str(HOME), "role": "admin"}]}
        assert (await client.get(f"{A}/overview", headers=bearer(secret))).status_code == 200
    assert "never" not in (await panel.client.get(T)).text
    stored = await panel.services.communities.shared.api_tokens(HOME)
    assert int(stored[0]["last_used_at"]) == int(panel.clock.now)


async def test_last_use_is_written_at_most_once_a_minute(admin_panel: Panel) -> None:
    panel = admin_panel
    secret = await make_token(panel)
    shared = panel.services.communities.shared
    async with fresh_client(panel) as client:
        await client.get("/api/v1/me", headers=bearer(secret))
        first = int(panel.clock.now)
        panel.clock.now += TOUCH_SECONDS - 1
        await client.get("/api/v1/me", headers=bearer(secret))
        assert int((await shared.api_tokens(HOME))[0]["last_used_at"]) == first
        panel.clock.now += 1
        await client.get("/api/v1/me", headers=bearer(secret))
        assert int((await shared.api_tokens(HOME))[0]["last_used_at"]) == first + TOUCH_SECONDS


async def test_revoked_mid_use_is_refused_at_once(admin_panel: Panel) -> None:
    panel = admin_panel
    secret = await make_token(panel)
    token_id = (await panel.services.communities.shared.api_tokens(HOME))[0]["id"]
    async with fresh_client(panel) as client:
        assert (await client.get(f"{A}/tweets", headers=bearer(secret))).status_code == 200
        revoked = await panel.client.post(f"{T}/{token_id}/revoke", data={"csrf": await panel.csrf()})
        assert revoked.status_code == 303
        answer = await client.get(f"{A}/tweets", headers=bearer(secret))
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["title"] == "Bad token"
    assert (await panel.store.audit_entries())[0]["action"] == "api-token-revoke"
    assert "No tokens yet" in (await panel.client.get(T)).text


async def test_a_token_never_reaches_another_community(admin_panel: Panel) -> None:
    panel = admin_panel
    secret = await make_token(panel)
    async with fresh_client(panel) as client:
        answer = await client.get(f"/api/v1/communities/{OTHER}/leaderboard", headers=bearer(secret))
    assert answer.status_code == 403
    assert answer.json()["status"] == 403


async def test_a_member_token_is_refused_on_admin_routes(admin_panel: Panel) -> None:
    panel = admin_panel
    secret = await make_token(panel, "member")
    async with fresh_client(panel) as client:
        assert (await client.get(f"{A}/leaderboard", headers=bearer(secret))).status_code == 200
        for route in ("overview", "tweets", "rules", "batches"):
            answer = await client.get(f"{A}/{route}", headers=bearer(secret))
            assert answer.status_code == 403, route
            assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("header", ["Bearer eng_nope", "Bearer ", "Basic dXNlcjpwdw==", "eng_x"])
async def test_a_bad_authorization_header_is_401(panel: Panel, header: str) -> None:
    answer = await panel.client.get(f"{A}/leaderboard", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.json()["title"] == "Bad token"


async def test_only_an_admin_manages_tokens_and_a_refusal_changes_nothing(panel: Panel) -> None:
    await panel.login(panel.member)
    csrf = await panel.csrf()
    before = {k: v for k, v in (await dump_keyspace(panel.store.redis)).items() if ":web:" not in k}
    assert (await panel.client.get(T)).status_code == 403
    made = await panel.client.post(T, data={"name": "x", "role": "admin", "csrf": csrf})
    assert made.status_code == 403
    after = {k: v for k, v in (await dump_keyspace(panel.store.redis)).items() if ":web:" not in k}
    assert after == before


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"name": "ok", "role": "owner"}, 400),
        ({"name": "", "role": "admin"}, 400),
        ({"name": "<script>", "role": "admin"}, 400),
        ({"name": "ok", "role": "admin", "csrf": "wrong"}, 403),
    ],
)
async def test_bad_token_forms_are_refused(admin_panel: Panel, form: dict[str, str], status: int) -> None:
    panel = admin_panel
    answer = await panel.client.post(T, data={"csrf": await panel.csrf(), **form})
    assert answer.status_code == status
    assert await panel.services.communities.shared.api_tokens(HOME) == []


async def test_revoking_an_unknown_token_is_refused(admin_panel: Panel) -> None:
    panel = admin_panel
    csrf = await panel.csrf()
    assert (await panel.client.post(f"{T}/0123456789abcdef/revoke", data={"csrf": csrf})).status_code == 409
    assert (await panel.client.post(f"{T}/not-an-id/revoke", data={"csrf": csrf})).status_code == 400


async def test_an_admin_cannot_revoke_another_communitys_token(admin_panel: Panel) -> None:
    panel = admin_panel
    await panel.login(panel.other_admin)
    secret = await make_token(panel, guild=OTHER)
    token_id = (await panel.services.communities.shared.api_tokens(OTHER))[0]["id"]
    await panel.login(panel.admin)
    answer = await panel.client.post(f"{T}/{token_id}/revoke", data={"csrf": await panel.csrf()})
    assert answer.status_code == 409
    async with fresh_client(panel) as client:
        still = await client.get(f"/api/v1/communities/{OTHER}/leaderboard", headers=bearer(secret))
    assert still.status_code == 200


async def test_a_token_form_sent_twice_makes_one_token(admin_panel: Panel) -> None:
    """A browser reload of the answer re-sends the form: the second send is refused and changes nothing."""
    panel = admin_panel
    page = (await panel.client.get(T)).text
    form_id = page.split('name="form_id" value="', 1)[1].split('"', 1)[0]
    form = {"csrf": await panel.csrf(), "name": "nightly", "role": "member", "form_id": form_id}
    assert (await panel.client.post(T, data=form)).status_code == 201
    before = {key: value for key, value in (await dump_keyspace(panel.store.redis)).items() if ":web:" not in key}
    again = await panel.client.post(T, data=form)
    assert again.status_code == 409
    assert "already sent, so no second token was made" in again.text
    after = {key: value for key, value in (await dump_keyspace(panel.store.redis)).items() if ":web:" not in key}
    assert after == before
    assert (await panel.client.get(T)).text.count("<td>nightly</td>") == 1
