"""The batch suite's scenarios, unchanged, on the local cluster (the fixtures in this folder's conftest)."""

from __future__ import annotations

import pytest

from tests.engagement.test_batch import (
    test_batch_record_holds_counts_usage_and_worker,
    test_nothing_submitted_is_a_completed_batch_without_requests,
    test_rule_overrides_are_applied,
    test_scenario_awards_exactly_the_expected_set,
    test_second_run_awards_nothing_new_and_a_new_engagement_once,
    test_tier_change_between_batches_applies_to_new_awards_only,
    test_unlinking_before_the_batch_earns_nothing,
)
from tests.engagement.test_batch_lock import (
    test_a_long_batch_renews_its_lock,
    test_a_lost_lock_stops_the_batch_at_its_next_step,
    test_crash_after_k_awards_then_a_new_batch_equals_the_uninterrupted_run,
    test_killed_worker_leaves_running_and_the_next_batch_marks_it_interrupted,
    test_lock_of_a_dead_worker_blocks_until_it_expires,
    test_two_batches_at_once_one_runs_one_skips,
)

pytestmark = pytest.mark.cluster

__all__ = [
    "test_a_long_batch_renews_its_lock",
    "test_a_lost_lock_stops_the_batch_at_its_next_step",
    "test_batch_record_holds_counts_usage_and_worker",
    "test_crash_after_k_awards_then_a_new_batch_equals_the_uninterrupted_run",
    "test_killed_worker_leaves_running_and_the_next_batch_marks_it_interrupted",
    "test_lock_of_a_dead_worker_blocks_until_it_expires",
    "test_nothing_submitted_is_a_completed_batch_without_requests",
    "test_rule_overrides_are_applied",
    "test_scenario_awards_exactly_the_expected_set",
    "test_second_run_awards_nothing_new_and_a_new_engagement_once",
    "test_tier_change_between_batches_applies_to_new_awards_only",
    "test_two_batches_at_once_one_runs_one_skips",
    "test_unlinking_before_the_batch_earns_nothing",
]
