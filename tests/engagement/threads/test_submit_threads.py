"""/submit with a Threads link: only the member's own recent post, checked through the API with their token;
every refusal says why and stores nothing but the throttle's attempt count."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

import pytest

from engagement.errors import InvalidInput, NotConnected, Refused
from engagement.services import Services
from engagement.store import Store
from engagement.submissions import submit_tweet
from engagement.threads import ThreadsAccess
from engagement.threads.client import ThreadsClient
from sandbox.fake_threads import FakeThreads
from tests.conftest import dump_keyspace
from tests.engagement.threads.threads_world import AT, threads_vault

ALICE, BOB = "111111111111111111", "222222222222222222"


@dataclass(frozen=True)
class Submitting:
    services: Services
    fake: FakeThreads


@pytest.fixture
async def threads_services(services: Services, store: Store, fake_threads: FakeThreads) -> AsyncIterator[Submitting]:
    fake = fake_threads
    update = {"threads_app_id": fake.app_id, "threads_api_base_url": fake.base_url}
    settings = services.settings.model_copy(update=update)
    client = ThreadsClient(settings)
    with_threads = replace(services, settings=settings, threads=ThreadsAccess(client, threads_vault(store)))
    yield Submitting(with_threads, fake)
    await client.aclose()


async def _linked(world: Submitting, discord_id: str, user_id: str, username: str) -> None:
    world.fake.add_user(user_id, username)
    await world.services.store.link_threads_account(discord_id, user_id, username, AT)
    token = world.fake.grant_token(user_id)
    await threads_vault(world.services.store).save_grant(discord_id, user_id, token, world.services.clock() + 86_400)


def _link(username: str, shortcode: str) -> str:
    return f"https://www.threads.net/@{username}/post/{shortcode}"


async def _state(services: Services) -> dict[str, object]:
    """The keyspace without the throttle's attempt counter (a refused /submit still counts as an attempt)."""
    everything = await dump_keyspace(services.store.redis)
    return {key: value for key, value in everything.items() if ":attempts:" not in key}


async def test_the_members_own_post_is_stored_as_a_threads_submission(threads_services: Submitting) -> None:
    await _linked(threads_services, ALICE, "7001", "alice.t")
    post = threads_services.fake.add_post("7001", text="gm", created_at=threads_services.services.clock() - 600)
    result = await submit_tweet(threads_services.services, ALICE, _link("alice.t", post.shortcode))
    submission = result.submission
    assert (submission.platform, submission.tweet_id, submission.author_x_id) == (
        "threads",
        f"threads:{post.id}",
        "7001",
    )
    assert submission.shortcode == post.shortcode
    assert await threads_services.services.store.submission_for_threads_code(post.shortcode) is not None
    asked = sum(threads_services.fake.request_counts.values())
    with pytest.raises(Refused):  # the same post twice: refused before Threads is asked again
        await submit_tweet(threads_services.services, ALICE, _link("alice.t", post.shortcode))
    assert sum(threads_services.fake.request_counts.values()) == asked


async def test_someone_elses_post_is_refused_and_nothing_is_stored(threads_services: Submitting) -> None:
    await _linked(threads_services, ALICE, "7001", "alice.t")
    await _linked(threads_services, BOB, "7002", "bob.t")
    post = threads_services.fake.add_post("7002", created_at=threads_services.services.clock() - 600)
    before = await _state(threads_services.services)
    with pytest.raises(Refused, match=r"not by your connected Threads account @alice\.t"):
        await submit_tweet(threads_services.services, ALICE, _link("bob.t", post.shortcode))
    with pytest.raises(Refused, match="not among your Threads posts"):  # Bob's code under Alice's name
        await submit_tweet(threads_services.services, ALICE, _link("alice.t", post.shortcode))
    assert await _state(threads_services.services) == before


async def test_a_deleted_post_is_refused_and_nothing_is_stored(threads_services: Submitting) -> None:
    await _linked(threads_services, ALICE, "7001", "alice.t")
    post = threads_services.fake.add_post("7001", created_at=threads_services.services.clock() - 600)
    threads_services.fake.delete_post(post.id)
    before = await _state(threads_services.services)
    with pytest.raises(Refused, match="not among your Threads posts"):
        await submit_tweet(threads_services.services, ALICE, _link("alice.t", post.shortcode))
    assert await _state(threads_services.services) == before


async def test_a_member_without_a_threads_account_is_told_to_connect(threads_services: Submitting) -> None:
    before = await _state(threads_services.services)
    with pytest.raises(NotConnected, match="/connect platform:threads"):
        await submit_tweet(threads_services.services, ALICE, _link("alice.t", "C3abcdEFG"))
    assert await _state(threads_services.services) == before


async def test_an_expired_token_asks_the_member_to_connect_again(threads_services: Submitting) -> None:
    await _linked(threads_services, ALICE, "7001", "alice.t")
    post = threads_services.fake.add_post("7001", created_at=threads_services.services.clock() - 600)
    [token] = [token for token, grant in threads_services.fake.tokens.items() if grant.user_id == "7001"]
    threads_services.fake.expire_token(token)
    with pytest.raises(Refused, match="Threads no longer accepts your sign-in"):
        await submit_tweet(threads_services.services, ALICE, _link("alice.t", post.shortcode))


@pytest.mark.parametrize(
    "url",
    ["https://www.threads.net/@alice.t", "https://threads.net/@alice.t/post/", "https://www.threads.net/t/abc/x"],
)
async def test_a_threads_link_that_names_no_post_is_refused(threads_services: Submitting, url: str) -> None:
    before = await _state(threads_services.services)
    with pytest.raises(InvalidInput):
        await submit_tweet(threads_services.services, ALICE, url)
    assert await _state(threads_services.services) == before


async def test_without_threads_set_up_a_threads_link_is_refused_plainly(services: Services) -> None:
    await services.store.link_threads_account(ALICE, "7001", "alice.t", AT)
    with pytest.raises(Refused, match="Threads posts are not tracked on this server"):
        await submit_tweet(services, ALICE, _link("alice.t", "C3abcdEFG"))
