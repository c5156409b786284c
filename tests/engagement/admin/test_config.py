from __future__ import annotations

import pytest

from engagement.admin import effective_settings, reset_config, set_config, show_config
from engagement.admin._config import alert_points_multiple
from engagement.errors import InvalidInput
from engagement.settings import load_settings
from engagement.store import Store
from tests.engagement.admin.world import ADMIN, audit_actions, keyspace


async def test_set_values_override_the_environment(store: Store) -> None:
    settings = load_settings(_env_file=None, admin_role_ids="1100000000000000006")
    assert await set_config(store, ADMIN, "submission_channel", "#Shill-Zone") == ("", "shill-zone")
    assert await set_config(store, ADMIN, "categories", "Art, memes,art , threads") == ("", "art,memes,threads")
    assert await set_config(store, ADMIN, "daily-limit-tier2", "7") == ("", "7")
    assert await set_config(store, ADMIN, "admin_role_ids", "22, 11,22") == ("", "22,11")
    assert await set_config(store, ADMIN, "alert_channel", "#B-Alerts") == ("", "b-alerts")
    effective = await effective_settings(settings, store)
    assert effective.alert_channel == "b-alerts"
    assert effective.submission_channel == "shill-zone"
    assert effective.categories == ("art", "memes", "threads")
    assert effective.daily_limit(2) == 7
    assert effective.daily_limit(1) == settings.daily_limit(1)
    assert effective.admin_role_ids == (22, 11)
    shown = {entry.name: (entry.value, entry.overridden) for entry in await show_config(settings, store)}
    assert shown["daily_limit_tier2"] == ("7", True)
    assert shown["daily_limit_tier3"] == (str(settings.daily_limit_tier3), False)
    assert shown["alert_points_multiple"] == ("5.0", False)

    assert await reset_config(store, ADMIN, "admin_role_ids") == "22,11"
    assert (await effective_settings(settings, store)).admin_role_ids == (1100000000000000006,)
    audit = [(e["action"], e["target"], e["old"], e["new"]) for e in await audit_actions(store)]
    assert audit[-1] == ("config", "admin_role_ids", "22,11", "")
    assert len(audit) == 6


async def test_alert_multiple_is_configurable(store: Store) -> None:
    assert await alert_points_multiple(store) == 5.0
    await set_config(store, ADMIN, "alert_points_multiple", "3.5")
    assert await alert_points_multiple(store) == 3.5


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("submission_channel", "has spaces"),
        ("submission_channel", ""),
        ("categories", " , "),
        ("categories", "ok,not ok"),
        ("categories", ",".join(f"c{n}" for n in range(26))),
        ("daily_limit_tier1", "-1"),
        ("daily_limit_tier1", "1001"),
        ("daily_limit_tier1", "five"),
        ("admin_role_ids", "   "),
        ("admin_role_ids", "Engagement Admin"),
        ("admin_role_ids", "@Mods"),
        ("admin_role_ids", "0"),
        ("admin_role", "Mods"),
        ("alert_points_multiple", "1"),
        ("alert_points_multiple", "nan"),
        ("alert_channel", "two words"),
        ("discord_bot_token", "x"),
        ("unknown", "1"),
    ],
)
async def test_bad_values_are_refused_and_nothing_changes(store: Store, name: str, value: str) -> None:
    before = await keyspace(store)
    with pytest.raises(InvalidInput):
        await set_config(store, ADMIN, name, value)
    assert await keyspace(store) == before


async def test_a_hand_edited_bad_value_is_ignored(store: Store) -> None:
    settings = load_settings(_env_file=None)
    await store.redis.hset(store.keys.config(), mapping={"daily_limit_tier1": "lots", "categories": "a b"})
    effective = await effective_settings(settings, store)
    assert effective.daily_limit_tier1 == settings.daily_limit_tier1
    assert effective.categories == settings.categories


async def test_a_role_name_stored_by_an_older_version_is_not_used(store: Store) -> None:
    settings = load_settings(_env_file=None)
    await store.redis.hset(store.keys.config(), mapping={"admin_role": "Engagement Admin"})
    effective = await effective_settings(settings, store)
    assert effective.admin_role_ids == ()
    assert effective.admin_role is None
