"""The only code that talks to Redis: one `Store` with typed methods, grouped by feature."""

from __future__ import annotations

from engagement.models import SubmissionDraft
from engagement.store._admin import AdminMixin
from engagement.store._analytics import SNAPSHOT_TTL, AnalyticsMixin, SnapshotWrite, StoredPost
from engagement.store._api_tokens import ApiTokensMixin
from engagement.store._awards import ALREADY_AWARDED, AWARDED, NOT_LINKED, NOT_TRACKED, STALE, AwardsMixin
from engagement.store._batches import BatchesMixin, MemberForAward
from engagement.store._connections import ConnectionsMixin
from engagement.store._farming import FarmingMixin
from engagement.store._guards import GuardsMixin
from engagement.store._guilds import GuildsMixin
from engagement.store._heartbeat import HeartbeatMixin
from engagement.store._members import MembersMixin
from engagement.store._monitoring import MonitoringMixin
from engagement.store._role_rewards import RoleRewardsMixin
from engagement.store._rules import RulesMixin
from engagement.store._seasons import SeasonsMixin
from engagement.store._shop import ShopMixin
from engagement.store._submissions import DuplicateSubmission, SubmissionLimitReached, SubmissionsMixin
from engagement.store._threads_links import ThreadsLinksMixin
from engagement.store._web import WebMixin
from engagement.store._x_tokens import XTokensMixin


class Store(
    AwardsMixin,
    ConnectionsMixin,
    SubmissionsMixin,
    RulesMixin,
    BatchesMixin,
    MembersMixin,
    AdminMixin,
    MonitoringMixin,
    GuardsMixin,
    GuildsMixin,
    WebMixin,
    ApiTokensMixin,
    XTokensMixin,
    ThreadsLinksMixin,
    HeartbeatMixin,
    AnalyticsMixin,
    FarmingMixin,
    SeasonsMixin,
    ShopMixin,
    RoleRewardsMixin,
):
    """Typed access to every key in `engagement.keys`."""


__all__ = [
    "ALREADY_AWARDED",
    "AWARDED",
    "NOT_LINKED",
    "NOT_TRACKED",
    "SNAPSHOT_TTL",
    "STALE",
    "DuplicateSubmission",
    "MemberForAward",
    "SnapshotWrite",
    "Store",
    "StoredPost",
    "SubmissionDraft",
    "SubmissionLimitReached",
]
