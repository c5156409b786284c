"""The anti-farming rules' pure parts: settings, the link gate's wording, and the reply text rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engagement.errors import InvalidInput
from rules.farming import (
    DEFAULTS,
    LOW_EFFORT_REPLY,
    SETTINGS,
    SHORT_REPLY,
    FarmingRules,
    farming_rules,
    fingerprint,
    has_words,
    link_refusal,
    reply_refusal,
    too_soon,
    visible_text,
)

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)


def test_every_rule_is_off_by_default() -> None:
    rules, problems = farming_rules({})
    assert rules == FarmingRules()
    assert problems == []
    assert not rules.gates_links
    assert not rules.in_batch
    assert dict(DEFAULTS) == {name: "false" if name.startswith("reject") else "0" for name in SETTINGS}


def test_stored_values_become_the_rules() -> None:
    stored = {"min_account_age_days": "30", "min_followers": "50", "min_reply_chars": "12"}
    stored |= {"reject_low_effort_replies": "true", "reject_repeated_replies": "false", "daily_award_cap": "5"}
    stored |= {"engagement_cooldown_seconds": "60", "submission_channel": "ignored"}
    rules, problems = farming_rules(stored)
    assert rules == FarmingRules(30, 50, 12, True, False, 5, 60)
    assert problems == []
    assert rules.gates_links
    assert rules.in_batch


def test_a_value_edited_by_hand_into_nonsense_leaves_that_rule_off() -> None:
    rules, problems = farming_rules({"daily_award_cap": "lots", "min_reply_chars": "10"})
    assert rules == FarmingRules(min_reply_chars=10)
    assert problems == ["daily_award_cap must be a whole number from 0 to 10,000 (0 turns the rule off), got 'lots'"]


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("min_account_age_days", " 30 ", "30"),
        ("min_account_age_days", "3650", "3650"),
        ("min_followers", "1000000", "1000000"),
        ("min_reply_chars", "0", "0"),
        ("daily_award_cap", "010", "10"),
        ("engagement_cooldown_seconds", "3600", "3600"),
        ("reject_low_effort_replies", "TRUE", "true"),
        ("reject_low_effort_replies", "on", "true"),
        ("reject_repeated_replies", "no", "false"),
    ],
)
def test_good_values_are_stored_canonically(name: str, value: str, stored: str) -> None:
    check = SETTINGS[name]
    assert check(value) == stored


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("min_account_age_days", "3651", "min_account_age_days must be a whole number from 0 to 3,650"),
        ("min_followers", "1000001", "min_followers must be a whole number from 0 to 1,000,000"),
        ("min_reply_chars", "281", "min_reply_chars must be a whole number from 0 to 280"),
        ("daily_award_cap", "-1", "daily_award_cap must be a whole number from 0 to 10,000"),
        ("engagement_cooldown_seconds", "1.5", "engagement_cooldown_seconds must be a whole number from 0 to 3,600"),
        ("engagement_cooldown_seconds", "３", "engagement_cooldown_seconds must be a whole number"),
        ("reject_low_effort_replies", "maybe", "reject_low_effort_replies must be true or false"),
        ("reject_repeated_replies", "", "reject_repeated_replies must be true or false"),
    ],
)
def test_bad_values_are_refused_with_the_range(name: str, value: str, message: str) -> None:
    check = SETTINGS[name]
    with pytest.raises(InvalidInput, match=message):
        check(value)


def test_a_young_account_is_refused_with_its_age() -> None:
    rules = FarmingRules(min_account_age_days=30)
    text = link_refusal(rules, "bob", NOW - timedelta(days=3, hours=5), 1000, NOW)
    assert text == "@bob is 3 days old; this server needs accounts at least 30 days old."
    assert link_refusal(rules, "bob", NOW - timedelta(days=30), 0, NOW) == ""
    assert link_refusal(rules, "bob", None, 0, NOW).startswith("X did not say when @bob was created")


def test_a_small_account_is_refused_with_its_followers() -> None:
    rules = FarmingRules(min_followers=50)
    assert link_refusal(rules, "bob", None, 1, NOW) == (
        "@bob has 1 follower; this server needs accounts with at least 50 followers."
    )
    assert link_refusal(rules, "bob", None, 50, NOW) == ""


def test_visible_text_leaves_out_mentions_links_and_spaces() -> None:
    text = "@alice @bob_2  Great &amp; true https://t.co/AbC123 see www.x.com/a me@example.com  "
    assert visible_text(text) == "Great & true see me@example.com"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("@alice gm", SHORT_REPLY),  # 2 characters once the mention is out
        ("@alice 🔥🔥🔥", LOW_EFFORT_REPLY),
        ("@alice @bob @carol", LOW_EFFORT_REPLY),
        ("@alice !!! ... ?", LOW_EFFORT_REPLY),
        ("@alice https://t.co/gif", LOW_EFFORT_REPLY),  # a GIF alone
        ("@alice This is a real answer.", ""),
        ("@alice 这是一个很好的观点谢谢分享", ""),  # letters in any script are words
        ("@alice 2026 🚀", SHORT_REPLY),  # digits are words; 7 characters are still short
    ],
)
def test_reply_text_rules(text: str, rule: str) -> None:
    rules = FarmingRules(min_reply_chars=12, reject_low_effort_replies=True)
    assert reply_refusal(rules, text) == rule


def test_each_text_rule_alone() -> None:
    assert reply_refusal(FarmingRules(min_reply_chars=3), "@a 🔥🔥🔥") == ""
    assert reply_refusal(FarmingRules(reject_low_effort_replies=True), "@a ok") == ""
    assert reply_refusal(FarmingRules(), "@a 🔥") == ""
    assert not has_words("🔥 ... @x")


def test_the_same_text_has_the_same_fingerprint() -> None:
    assert fingerprint("@alice Great   POST! https://t.co/1") == fingerprint("@bob great post!")
    assert fingerprint("great post!") != fingerprint("great post")
    assert fingerprint("@alice https://t.co/1") == ""
    assert len(fingerprint("anything")) == 16


def test_the_cool_down_counts_from_the_submission() -> None:
    rules = FarmingRules(engagement_cooldown_seconds=30)
    assert too_soon(rules, 1000, 1000)
    assert too_soon(rules, 1000, 1029.9)
    assert not too_soon(rules, 1000, 1030)
    assert not too_soon(rules, 1000, 999)  # before the submission: not a reaction to its announcement
    assert not too_soon(FarmingRules(), 1000, 1000)
