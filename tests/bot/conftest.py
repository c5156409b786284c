"""Members as Discord sends them, and an X account linked the way a finished /connect leaves it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engagement.services import Services
from engagement.store import Store
from sandbox.fake_x import FakeX
from tests.fakes.discord_fixtures import COMMUNITY_GUILDS
from tests.fakes.discord_harness import Member
from tests.fakes.discord_payloads import ADMIN_ROLE_ID, MANAGE_GUILD, MEMBER_PERMISSIONS

ALICE = Member(111111111111111111, "alice")
BOB = Member(222222222222222222, "bob")
ADMIN_BY_ROLE = Member(333333333333333333, "moderator", roles=(ADMIN_ROLE_ID,))
ADMIN_BY_PERMISSION = Member(444444444444444444, "owner", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)
OTHER_BOT = Member(555555555555555555, "otherbot", bot=True)


async def link(services: Services, store: Store, fake_x: FakeX, member: Member) -> str:
    x_id = fake_x.add_user(member.name)
    await store.link_account(str(member.id), x_id, member.name, "bio", services.now().isoformat())
    return x_id


@pytest.fixture(params=[(), COMMUNITY_GUILDS], ids=["one community", "three communities"])
def served_guilds(request: pytest.FixtureRequest) -> tuple[int, ...]:
    """Every bot test runs for a deployment of one community and of three (the home one is driven)."""
    return tuple(request.param)


@pytest.fixture
async def alice_x(services: Services, store: Store, fake_x: FakeX) -> str:
    return await link(services, store, fake_x, ALICE)


def recent_post(fake_x: FakeX, services: Services, author_x_id: str, hours_ago: float = 1) -> str:
    return fake_x.add_tweet(author_x_id, "gm, engage please", created_at=services.now() - timedelta(hours=hours_ago))
