"""REDIS_CLUSTER and the hash-tagged prefix; one server keeps today's key names exactly."""

from __future__ import annotations

import pytest

from engagement.errors import SettingsError
from engagement.keys import Keys, hash_tagged
from engagement.redis_conn import store_keys
from engagement.settings import load_settings
from engagement.validation import InvalidInput


def test_one_server_keeps_todays_key_names() -> None:
    keys = store_keys(load_settings(redis_url="redis://localhost:6379", key_prefix="engagement"))
    assert keys.connection("123") == "engagement:connection:123"
    assert keys.tweets_recent() == "engagement:tweets:recent"


def test_cluster_mode_tags_the_prefix() -> None:
    keys = store_keys(load_settings(redis_url="redis://node1:6379", redis_cluster=True))
    assert keys.connection("123") == "{engagement}:connection:123"
    assert keys.log("1-2-like") == "{engagement}:log:1-2-like"


def test_a_tagged_prefix_is_kept_and_a_bad_one_refused() -> None:
    assert hash_tagged("eng:{guild1}") == "eng:{guild1}"
    assert Keys("eng:{guild1}").audit() == "eng:{guild1}:audit"
    with pytest.raises(InvalidInput):
        hash_tagged("bad prefix")
    with pytest.raises(InvalidInput):
        Keys("{a}{b}")


@pytest.mark.parametrize("url", [None, "unix:///tmp/redis.sock"])
def test_cluster_needs_a_tcp_node_url(url: str | None) -> None:
    with pytest.raises(SettingsError, match="REDIS_CLUSTER=1 needs REDIS_URL"):
        load_settings(redis_url=url, redis_cluster=True)
