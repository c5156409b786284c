"""The pages do what the slash commands do (same core functions, same audit), refuse forms without the session's
CSRF token, and carry the security headers."""

from __future__ import annotations

import csv
import io
import re

import pytest

from engagement.admin import CSV_COLUMNS
from tests.engagement.admin.world import ALICE, TWEET_ID, audit_actions
from tests.web.conftest import HOME, Panel
from tests.web.test_roles import unchanged_keys

G = f"/c/{HOME}"


async def test_a_rule_edit_is_stored_audited_and_shown(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    form = {"tier": "2", "type": "reply", "points": "11", "csrf": await panel.csrf()}
    done = await panel.client.post(f"{G}/rules", data=form)
    assert done.status_code == 303
    assert done.headers["location"] == f"{G}/rules"
    assert await panel.store.rule_overrides() == {(2, "reply"): "11"}
    entry = (await audit_actions(panel.store))[-1]
    assert (entry["actor"], entry["target"], entry["old"], entry["new"]) == (panel.role_admin.id, "2-reply", "6", "11")
    shown = await panel.client.get(f"{G}/rules")
    assert "Tier 2 reply: 6 → 11 points" in shown.text
    assert "11*" in shown.text
    assert "Tier 2 reply: 6" not in (await panel.client.get(f"{G}/rules")).text  # the notice shows once


async def test_a_bad_rule_is_refused_with_the_core_message_and_nothing_changes(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    before = await unchanged_keys(panel)
    form = {"tier": "4", "type": "reply", "points": "11", "csrf": await panel.csrf()}
    refused = await panel.client.post(f"{G}/rules", data=form)
    assert refused.status_code == 400
    assert "tier must be 1, 2 or 3" in refused.text
    assert await unchanged_keys(panel) == before


@pytest.mark.parametrize("token", [None, "", "wrong"])
async def test_a_form_without_the_sessions_csrf_token_is_refused(role_admin_panel: Panel, token: str | None) -> None:
    panel = role_admin_panel
    before = await unchanged_keys(panel)
    form = {"tier": "1", "type": "like", "points": "9"} | ({} if token is None else {"csrf": token})
    refused = await panel.client.post(f"{G}/rules", data=form)
    assert refused.status_code == 403
    assert "nothing was changed" in refused.text
    assert (await panel.client.post(f"{G}/batches/run", data={"csrf": "wrong"})).status_code == 403
    assert await unchanged_keys(panel) == before


async def test_another_sessions_csrf_token_does_not_work(panel: Panel) -> None:
    await panel.login(panel.admin)
    other_token = await panel.csrf()
    await panel.login(panel.role_admin)
    assert await panel.csrf() != other_token
    refused = await panel.client.post(f"{G}/rules/reset", data={"csrf": other_token})
    assert refused.status_code == 403


async def test_reset_rules(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    csrf = await panel.csrf()
    await panel.client.post(f"{G}/rules", data={"tier": "1", "type": "like", "points": "9", "csrf": csrf})
    await panel.client.post(f"{G}/rules/reset", data={"csrf": csrf})
    assert await panel.store.rule_overrides() == {}
    assert (await audit_actions(panel.store))[-1]["action"] == "rules-reset"


async def test_delete_with_revoke_takes_back_the_points(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    assert (await panel.store.rank_and_points(ALICE, weekly=False))[1] == 3
    form = {"tweet": TWEET_ID, "revoke": "1", "reason": "not allowed", "csrf": await panel.csrf()}
    done = await panel.client.post(f"{G}/tweets/delete", data=form)
    assert done.status_code == 303
    assert "Revoked 1 awards (3 points)" in (await panel.client.get(f"{G}/tweets")).text
    assert (await panel.store.rank_and_points(ALICE, weekly=False))[1] == 0
    again = await panel.client.post(f"{G}/tweets/delete", data=form)
    assert again.status_code in (400, 409)


async def test_batch_trigger_is_queued_once(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    csrf = await panel.csrf()
    assert (await panel.client.post(f"{G}/batches/run", data={"csrf": csrf})).status_code == 303
    assert "Batch requested" in (await panel.client.get(f"{G}/batches")).text
    second = await panel.client.post(f"{G}/batches/run", data={"csrf": csrf})
    assert second.status_code == 409
    assert "already requested" in second.text
    assert [entry["action"] for entry in await audit_actions(panel.store)].count("batch-run") == 1


async def test_pages_show_the_communitys_data(role_admin_panel: Panel) -> None:
    panel = role_admin_panel
    assert "Connected members" in (await panel.client.get(f"{G}/overview")).text
    tweets = (await panel.client.get(f"{G}/tweets")).text
    assert TWEET_ID in tweets
    assert "@bob" in tweets
    board = (await panel.client.get(f"{G}/leaderboard")).text
    assert ALICE in board
    assert "alice" in board
    assert "No batch has run yet" in (await panel.client.get(f"{G}/batches")).text


async def test_the_csv_export_has_the_boards_rows(role_admin_panel: Panel) -> None:
    answer = await role_admin_panel.client.get(f"{G}/leaderboard.csv")
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(row["discord_id"], row["points"]) for row in rows] == [(ALICE, "3")]


async def test_security_headers_on_every_answer(role_admin_panel: Panel) -> None:
    for path in ("/", f"{G}/rules", "/api/v1/me", "/login", "/api/docs"):
        headers = (await role_admin_panel.client.get(path)).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"


async def test_the_pages_have_no_inline_script_or_style(role_admin_panel: Panel) -> None:
    for path in ("/", f"{G}/overview", f"{G}/tweets", f"{G}/rules", f"{G}/batches", f"{G}/leaderboard"):
        text = (await role_admin_panel.client.get(path)).text
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S)
        assert len(scripts) == text.count("<script") == 2  # htmx and the time-zone script, both files of ours
        assert all(re.fullmatch(r' src="/static/[\w.-]+\.js" defer', attrs) and not body for attrs, body in scripts)
        assert "style=" not in text
        assert "<style" not in text
