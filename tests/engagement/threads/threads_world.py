"""Threads members and posts beside a batch world's X ones: accounts on the fake Threads, linked in the store,
their tokens in the real vault (test key, no refreshes), posts submitted as the bot's /submit stores them."""

from __future__ import annotations

from dataclasses import dataclass, field

from engagement.platforms import THREADS, post_ref
from engagement.store import Store, SubmissionDraft
from engagement.threads import ThreadsAccess
from engagement.threads.client import ThreadsClient
from engagement.threads.tokens import ThreadsTokens
from engagement.x_oauth import TokenCipher, shared_beside
from sandbox.fake_threads import FakeThreads
from tests.engagement.batch_world import BatchWorld
from tests.fakes.x_tokens import TEST_TOKEN_KEY

AT = "2026-11-18T00:00:00+00:00"


def threads_vault(home: Store) -> ThreadsTokens:
    """The Threads token vault next to the home community `home`, with the test key and no refreshes."""
    return ThreadsTokens(shared_beside(home), TokenCipher([TEST_TOKEN_KEY]), None, home.now)


@dataclass
class ThreadsWorld:
    world: BatchWorld
    fake: FakeThreads
    client: ThreadsClient
    user_ids: dict[str, str] = field(default_factory=dict)  # username -> Threads user id
    posts: dict[str, str] = field(default_factory=dict)  # label -> media id

    def __post_init__(self) -> None:
        self.tokens = threads_vault(self.world.store)
        self.world.threads = ThreadsAccess(self.client, self.tokens)

    async def account(self, username: str, discord_id: str | None) -> str:
        """A Threads account; linked to `discord_id` (with a stored token) unless None."""
        user_id = str(7_000_000 + len(self.user_ids))
        self.fake.add_user(user_id, username)
        self.user_ids[username] = user_id
        if discord_id is not None:
            await self.world.store.link_threads_account(discord_id, user_id, username, AT)
            token = self.fake.grant_token(user_id)
            expires = self.world.store.now() + 60 * 86_400
            await self.tokens.save_grant(discord_id, user_id, token, expires)
        return user_id

    async def post(self, label: str, author: str, submitter: str) -> str:
        """`author` posts on Threads now and the member `submitter` (its owner) submits it; the post's ref."""
        user_id = self.user_ids[author]
        post = self.fake.add_post(user_id, text=f"{label} by {author}", created_at=self.world.store.now() - 60)
        ref = post_ref(THREADS, post.id)
        draft = SubmissionDraft(
            ref, post.permalink, user_id, author, submitter, "general", platform=THREADS, shortcode=post.shortcode
        )
        await self.world.store.create_submission(draft, daily_limit=1000)
        self.posts[label] = post.id
        self.world.tweets[label] = ref
        return ref

    def reply(self, label: str, username: str) -> str:
        return self.fake.add_reply(self.posts[label], username, text="nice", created_at=self.world.store.now())
