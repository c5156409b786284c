"""A small community in Redis for the admin tests: members, submitted tweets and paid awards."""

from __future__ import annotations

from engagement.models import Award, Submission
from engagement.store import AWARDED, Store, SubmissionDraft
from tests.conftest import dump_keyspace

ADMIN = "900000000000000001"
ALICE = "100000000000000001"
BOB = "100000000000000002"
CAROL = "100000000000000003"
DAVE = "100000000000000004"
ERIN = "100000000000000005"
X_IDS = {ALICE: "1001", BOB: "1002", CAROL: "1003", DAVE: "1004", ERIN: "1005"}
TWEET_ID = "1850000000000000001"
HANDLES = {ALICE: "alice", BOB: "bob", CAROL: "carol", DAVE: "dave", ERIN: "erin"}


async def connect(store: Store, member: str, tier: int = 1) -> None:
    await store.link_account(member, X_IDS[member], HANDLES[member], "bio", "2026-11-18T00:00:00+00:00")
    if tier != 1:
        await store.set_tier(ADMIN, member, tier)


async def submit(store: Store, member: str, tweet_id: str, category: str = "general") -> Submission:
    draft = SubmissionDraft(
        tweet_id=tweet_id,
        url=f"https://x.com/{HANDLES[member]}/status/{tweet_id}",
        author_x_id=X_IDS[member],
        author_handle=HANDLES[member],
        submitter_discord_id=member,
        category=category,
    )
    submission, _ = await store.create_submission(draft, daily_limit=100)
    return submission


async def award(store: Store, tweet_id: str, member: str, kind: str, points: int, tier: int = 1) -> None:
    paid = await store.award_engagement(Award(tweet_id, X_IDS[member], member, kind, points, tier, "1"))
    assert paid == AWARDED


async def keyspace(store: Store) -> dict[str, object]:
    """Every key under the store's prefix with its value, to prove a refused command changed nothing."""
    return await dump_keyspace(store.redis, f"{store.keys.prefix}:*")


async def audit_actions(store: Store) -> list[dict[str, str]]:
    """Audit entries oldest first."""
    return list(reversed([dict(entry) for entry in await store.audit_entries(100)]))
