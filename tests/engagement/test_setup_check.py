"""The setup check's judgement: channels from what Discord says, X's answer to one cheap call, the heartbeat."""

from __future__ import annotations

from typing import Any

import pytest

from engagement.heartbeat import beat
from engagement.setup_check import ChannelAccess, channel_check, setup_checks, x_token_check
from engagement.store import Store
from engagement.x.errors import RateLimited, XAuthError, XUnavailable
from engagement.x.models import XUser


class _X:
    """An X that answers the one lookup with `outcome` (raised when it is an error)."""

    def __init__(self, outcome: Exception | None = None) -> None:
        self.outcome = outcome
        self.calls: list[str] = []

    async def user_by_username(self, username: str) -> XUser | None:
        self.calls.append(username)
        if self.outcome is not None:
            raise self.outcome
        return None

    async def lookup_tweets(self, ids: Any) -> Any:  # pragma: no cover - not used by the check
        raise AssertionError

    async def find_post_with_text(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover
        raise AssertionError


FINE = ChannelAccess("engagement-tracker", found=True, view=True, send=True, embed=True)


async def test_everything_fine_and_one_cheap_call(store: Store) -> None:
    await beat([store])
    x = _X()
    checks = await setup_checks(store, x, FINE, FINE, FINE)
    assert [(check.name, check.ok) for check in checks] == [
        ("Submissions channel #engagement-tracker", True),
        ("Alert channel #engagement-tracker", True),
        ("Report channel #engagement-tracker", True),
        ("X bearer token", True),
        ("Worker", True),
    ]
    assert len(x.calls) == 1


@pytest.mark.parametrize(
    ("outcome", "ok", "detail"),
    [
        (XAuthError("X refused TWITTER_BEARER_TOKEN (HTTP 401)"), False, "the bearer token is refused"),
        (RateLimited("user_by_username", 0.0), True, "X accepts it (its lookup limit is spent"),
        (XUnavailable("timeout"), False, "X did not answer the check"),
    ],
    ids=["refused", "rate limited", "X down"],
)
async def test_what_x_answers(outcome: Exception, ok: bool, detail: str) -> None:
    check = await x_token_check(_X(outcome))
    assert (check.ok, check.detail.startswith(detail)) == (ok, True), check.detail


def test_a_channel_the_bot_cannot_read_its_permissions_in() -> None:
    check = channel_check("Submissions channel", "submission_channel", ChannelAccess("x", found=True, known=False))
    assert not check.ok
    assert check.detail.startswith("the bot could not read its own permissions there")
