"""The web state in the store behaves the same on fakeredis and a real server: single-use states, sessions."""

from __future__ import annotations

from engagement.store import Store


async def test_a_state_is_taken_once(any_store: Store) -> None:
    await any_store.save_oauth_state("s1", 600)
    assert await any_store.take_oauth_state("s1") is True
    assert await any_store.take_oauth_state("s1") is False
    assert await any_store.take_oauth_state("never-saved") is False


async def test_a_session_is_written_updated_and_ended(any_store: Store) -> None:
    await any_store.save_web_session("sid", {"user_id": "1", "csrf": "c"}, 60)
    await any_store.update_web_session("sid", {"notice": "done"}, 60)
    assert await any_store.web_session("sid") == {"user_id": "1", "csrf": "c", "notice": "done"}
    assert await any_store.pop_web_session_field("sid", "notice") == "done"
    assert await any_store.pop_web_session_field("sid", "notice") is None
    ttl = await any_store.redis.ttl(any_store._web_key("session", "sid"))
    assert 0 < ttl <= 60
    await any_store.delete_web_session("sid")
    await any_store.update_web_session("sid", {"notice": "late"}, 60)  # ended: not brought back
    assert await any_store.web_session("sid") == {}
