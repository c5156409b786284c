"""What /stats and /leaderboard show: read-only views over the member's record and the boards."""

from __future__ import annotations

from dataclasses import dataclass

from engagement import validation
from engagement.connections import require_connection
from engagement.errors import InvalidInput
from engagement.models import AwardLog, LeaderboardEntry
from engagement.services import Services
from engagement.threads.tokens import ThreadsTokens
from engagement.x_oauth import NEEDS_REAUTH, OK, XTokens
from rules.scoring import TIER_NAMES

PAGE_SIZE = 10
RECENT_AWARDS = 5
BOARDS = ("alltime", "weekly")


@dataclass(frozen=True)
class BoardStanding:
    points: int
    rank: int | None


LIKES_COUNTED, LIKES_NOT_SIGNED_IN = "counted", "not_signed_in"


@dataclass(frozen=True)
class MemberStats:
    discord_id: str
    handle: str
    tier: int
    tier_name: str
    alltime: BoardStanding
    weekly: BoardStanding
    counts: dict[str, int]
    recent: list[AwardLog]
    likes: str
    """Whether likes on the member's posts count: `counted` (signed in with X), `needs_reauth` (X refused the
    sign-in's renewal: sign in again) or `not_signed_in`."""
    threads_username: str = ""
    """The member's connected Threads account ("" when none)."""
    threads_status: str = ""
    """`ok`, or `needs_reauth` when Threads no longer accepts the connection ("" when none)."""

    @property
    def likes_trackable(self) -> bool:
        return self.likes == LIKES_COUNTED


@dataclass(frozen=True)
class LeaderboardPage:
    weekly: bool
    week: str
    page: int
    pages: int
    entries: list[LeaderboardEntry]
    handles: dict[str, str]
    viewer: BoardStanding


async def member_stats(services: Services, discord_id: str, *, asked_by: str | None = None) -> MemberStats:
    """Stats of a connected member; `asked_by` another member words the refusal for them."""
    own = asked_by is None or asked_by == discord_id
    connection = await require_connection(services, discord_id, own=own, threads_counts=True)
    store = services.store
    return MemberStats(
        discord_id=connection.discord_id,
        handle=connection.handle or "",
        tier=connection.tier,
        tier_name=TIER_NAMES.get(connection.tier, "?"),
        alltime=await _standing(services, connection.discord_id, weekly=False),
        weekly=await _standing(services, connection.discord_id, weekly=True),
        counts=dict(connection.counts),
        recent=await store.recent_logs(connection.discord_id, RECENT_AWARDS),
        likes=await likes_status(services, connection.x_user_id or ""),
        threads_username=connection.threads_username or "",
        threads_status=await threads_status(services, connection.threads_user_id),
    )


async def threads_status(services: Services, threads_user_id: str | None) -> str:
    """`ok` or `needs_reauth` for a connected Threads account's token; "" when none is stored."""
    if not threads_user_id:
        return ""
    return await ThreadsTokens(services.communities.shared, None, None, services.clock).status(threads_user_id) or ""


async def likes_status(services: Services, x_user_id: str) -> str:
    """Whether likes on that X account's posts count (`MemberStats.likes`): read from its sign-in's record."""
    if not x_user_id:
        return LIKES_NOT_SIGNED_IN
    status = await XTokens(services.communities.shared, None, None, services.clock).status(x_user_id)
    return {OK: LIKES_COUNTED, NEEDS_REAUTH: NEEDS_REAUTH}.get(status or "", LIKES_NOT_SIGNED_IN)


async def _standing(services: Services, discord_id: str, *, weekly: bool) -> BoardStanding:
    rank, points = await services.store.rank_and_points(discord_id, weekly=weekly)
    return BoardStanding(points=points, rank=rank)


def parse_board(value: str | None) -> bool:
    """True for the weekly board, False for all-time; refuses anything else (Discord's choices are not trusted)."""
    name = (value or "alltime").strip().lower().replace("-", "")
    if name not in BOARDS:
        raise InvalidInput(f"Board must be one of {', '.join(BOARDS)}, got {str(value)[:20]!r}.")
    return name == "weekly"


async def leaderboard_page(services: Services, weekly: bool, page: int, viewer_id: str) -> LeaderboardPage:
    """One page (0-based, clamped to the board) and the viewer's own standing."""
    store = services.store
    viewer = validation.discord_id(viewer_id)
    page = max(page, 0)
    entries, total = await store.leaderboard_page(weekly, page * PAGE_SIZE, PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page >= pages:  # the board shrank (a new week began) since the buttons were drawn
        page = pages - 1
        entries, total = await store.leaderboard_page(weekly, page * PAGE_SIZE, PAGE_SIZE)
    return LeaderboardPage(
        weekly=weekly,
        week=store.week(),
        page=page,
        pages=pages,
        entries=entries,
        handles=await store.handles_for_members([entry.discord_id for entry in entries]),
        viewer=await _standing(services, viewer, weekly=weekly),
    )
