"""The offline demo's Threads: one member connects Threads through the panel and the fake Threads' OAuth, submits
a Threads post with /submit's core call, another connected member replies to it, and the batch pays the reply.

Connecting goes the way a browser does: the link /connect platform:threads would show, /oauth/threads/start on
the panel (303 to the fake's authorize page), its redirect back to /oauth/threads/callback (the code exchanged
for a long-lived token, the account linked).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from engagement.services import Services
from engagement.settings import Settings
from engagement.submissions import submit_tweet
from engagement.threads.sign_in import threads_sign_in_link
from sandbox._demo_panel import DEMO_GUILD
from sandbox._demo_sign_in import expect
from sandbox.fake_threads import FakeThreads
from sandbox.scenario import Member


@dataclass(frozen=True)
class DemoThreadsPost:
    ref: str
    author: Member
    replier: Member


def with_threads(settings: Settings, fake: FakeThreads) -> Settings:
    """The demo's settings with Threads set up against `fake` (the panel hosts the callback)."""
    update = {
        "threads_app_id": fake.app_id,
        "threads_app_secret": SecretStr(fake.app_secret),
        "threads_api_base_url": fake.base_url,
        "threads_authorize_url": f"{fake.base_url}/oauth/authorize",
    }
    configured = settings.model_copy(update=update)
    assert configured.threads_sign_in
    return configured


async def connect_threads(services: Services, fake: FakeThreads, member: Member, user_id: str) -> None:
    """`member` connects the Threads account `user_id` as a browser would; RuntimeError when a step fails."""
    fake.add_user(user_id, f"{member.username}.threads")
    link = await threads_sign_in_link(services, member.discord_id, DEMO_GUILD)
    async with httpx.AsyncClient(timeout=10) as browser:  # it keeps the panel's binding cookie
        start = await browser.get(link)
        expect(start, 303, "/oauth/threads/start")
        approved = await browser.get(f"{start.headers['location']}&as_user={user_id}")  # "Allow" at Threads
        expect(approved, 302, "Threads' authorize page")
        done = await browser.get(approved.headers["location"])
        expect(done, 200, "/oauth/threads/callback")
        if "Connected Threads account" not in done.text:
            raise RuntimeError(f"the panel did not confirm {member.username}'s Threads connection")


async def threads_post_with_a_reply(services: Services, fake: FakeThreads, members: list[Member]) -> DemoThreadsPost:
    """The first member posts on Threads and submits it; the second replies to it there."""
    author, replier = members[0], members[1]
    for index, member in enumerate((author, replier)):
        await connect_threads(services, fake, member, str(8_100_000 + index))
    post = fake.add_post("8100000", text="gm from Threads", created_at=services.clock() - 1800, views=420, likes=9)
    result = await submit_tweet(services, author.discord_id, post.permalink)
    fake.add_reply(post.id, f"{replier.username}.threads", text="love it")
    return DemoThreadsPost(result.submission.tweet_id, author, replier)


async def threads_reply_paid(services: Services, demo_post: DemoThreadsPost) -> bool:
    """Print what the batch paid on the Threads post; True when exactly the one reply was paid."""
    logs = await services.store.logs_by_id(await services.store.tweet_log_ids(demo_post.ref))
    paid = [(log.discord_id, log.type) for log in logs]
    print(
        f"\nThreads: @{demo_post.author.username}.threads submitted a Threads post; "
        f"@{demo_post.replier.username}.threads replied: {len(paid)} award(s) "
        f"({', '.join(f'{kind} {log.points} pts' for log, (_, kind) in zip(logs, paid, strict=True))}). "
        "Its 9 likes count in analytics only (Threads does not say who liked)."
    )
    return paid == [(demo_post.replier.discord_id, "reply")]
