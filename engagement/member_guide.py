"""What members are told about earning points: /help's facts and a submitted post's earnings (read-only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engagement.admin import show_rules
from engagement.services import Services
from engagement.stats import LIKES_COUNTED, likes_status
from engagement.validation import TIERS
from rules import RuleTable
from rules.scoring import TIER_NAMES


@dataclass(frozen=True)
class HelpFacts:
    """The community's own values, as /help explains them."""

    rules: RuleTable
    tier_names: Mapping[int, str]
    daily_limits: dict[int, int]
    """Submissions a member of each tier may make per UTC day."""
    submission_channel: str
    categories: tuple[str, ...]
    batch_interval_min: int
    batch_interval_max: int
    """Minutes between two batches (the worker picks a time in this range)."""
    next_batch_at: float | None
    """When the worker's next scheduled batch runs (unix seconds); None when not known or already past."""
    window_hours: int
    """Posts earn points for this many hours after they were posted."""
    sign_in: bool
    """Whether Sign in with X is offered (else only the code in the bio)."""


@dataclass(frozen=True)
class PostEarnings:
    """What engaging with one author's post earns, and whether likes on it can be counted."""

    rules: RuleTable
    likes_counted: bool
    """Only when the author signed in with X (and X still accepts it): X shows a post's likers only to its author."""


async def help_facts(services: Services) -> HelpFacts:
    settings = services.settings
    next_at = await services.store.next_batch_at()
    return HelpFacts(
        rules=(await show_rules(services.store)).table,
        tier_names=TIER_NAMES,
        daily_limits={tier: settings.daily_limit(tier) for tier in TIERS},
        submission_channel=settings.submission_channel,
        categories=tuple(settings.categories),
        batch_interval_min=settings.batch_interval_min,
        batch_interval_max=settings.batch_interval_max,
        next_batch_at=next_at if next_at is not None and next_at > services.clock() else None,
        window_hours=settings.batch_window_hours,
        sign_in=settings.x_sign_in,
    )


async def post_earnings(services: Services, author_x_id: str) -> PostEarnings:
    likes = await likes_status(services, author_x_id)
    return PostEarnings(rules=(await show_rules(services.store)).table, likes_counted=likes == LIKES_COUNTED)
