"""Personal API tokens for the REST API: made by a community's admin, shown once, stored by their SHA-256,
scoped to one community and one role, revocable; and the per-token and per-IP request limits."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
from dataclasses import dataclass

from engagement.errors import InvalidInput, Refused
from engagement.store import Store
from engagement.validation import discord_id
from engagement.web_sessions import ADMIN, CORE, MEMBER

log = logging.getLogger(__name__)

PREFIX = "eng_"
ROLES = (ADMIN, CORE, MEMBER)  # as the panel's roles: core may handle tweets, batches and tiers
MAX_TOKENS = 50  # per community: the list stays one page, and a leaked admin session cannot mint thousands
TOUCH_SECONDS = 60  # last_used_at is written at most this often: a request need not be a Redis write
_NAME = re.compile(r"[\w .,:()/-]{1,64}")
_TOKEN_ID = re.compile(r"[0-9a-f]{16}")
_SECRET = re.compile(r"eng_[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class ApiToken:
    id: str
    guild_id: int
    role: str
    name: str
    created_by: str
    created_at: int
    last_used_at: int

    @property
    def actor(self) -> str:
        """Whom its actions are audited as: the admin who made it."""
        return self.created_by


@dataclass(frozen=True)
class RateLimit:
    requests: int
    window_seconds: int


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


FORM_TTL_SECONDS = 24 * 3600


def new_form_id() -> str:
    """A one-time id for a token form: a re-sent form (a browser reload of the answer) makes no second token."""
    return secrets.token_urlsafe(24)


async def create_token(
    shared: Store, community: Store, guild_id: int, actor: str, name: str, role: str, *, form_id: str | None = None
) -> str:
    """A new token's secret (shown once; only its SHA-256 is kept), audited in the community as `api-token`.
    `form_id`: the form's one-time id (`new_form_id`); the same id a second time is refused."""
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise InvalidInput("A token name is 1-64 letters, digits, spaces or .,:()/-_")
    if role not in ROLES:
        raise InvalidInput(f"A token's role is one of: {', '.join(ROLES)}.")
    if len(await shared.api_tokens(guild_id)) >= MAX_TOKENS:
        raise Refused(f"This community already has {MAX_TOKENS} tokens; revoke one first.")
    if form_id is not None and not await shared.claim_api_form(digest(form_id), FORM_TTL_SECONDS):
        raise Refused(
            "This form was already sent, so no second token was made: the first one is in the list (its secret "
            "was shown once). Open API tokens again to make another."
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token_id = secrets.token_hex(8)
    fields = {
        "id": token_id,
        "guild_id": str(guild_id),
        "role": role,
        "name": name,
        "created_by": discord_id(actor),
        "created_at": str(int(shared.now())),
        "last_used_at": "0",
    }
    await shared.save_api_token(guild_id, token_id, digest(secret), fields)
    # The community's audit stream is in its own slot, so this is a second step: a token is made, then audited.
    await community.audit(actor, "api-token-create", token_id, None, f"{name} ({role})")
    log.info("API token %s (%s) made in %s by %s", token_id, role, guild_id, actor)
    return secret


async def list_tokens(shared: Store, guild_id: int) -> list[ApiToken]:
    """A community's live tokens, newest first."""
    tokens = [_parse(row) for row in await shared.api_tokens(guild_id)]
    return sorted((t for t in tokens if t is not None), key=lambda t: (-t.created_at, t.id))


async def revoke_token(shared: Store, community: Store, guild_id: int, actor: str, token_id: str) -> ApiToken:
    """End a token at once (its next request is refused), audited as `api-token-revoke`."""
    if not _TOKEN_ID.fullmatch(token_id):
        raise InvalidInput("Not a token id.")
    token = _parse(await shared.delete_api_token(guild_id, token_id))
    if token is None:
        raise Refused("This community has no such token (already revoked?).")
    await community.audit(actor, "api-token-revoke", token_id, f"{token.name} ({token.role})", None)
    log.info("API token %s of %s revoked by %s", token_id, guild_id, actor)
    return token


async def authenticate(shared: Store, secret: str) -> ApiToken | None:
    """The live token with this secret (its last use noted), or None."""
    if not _SECRET.fullmatch(secret):
        return None
    key = digest(secret)
    token = _parse(await shared.api_token(key))
    now = int(shared.now())
    if token is not None and now - token.last_used_at >= TOUCH_SECONDS:
        await shared.touch_api_token(key, now)
    return token


async def retry_after(shared: Store, who: str, limit: RateLimit) -> int | None:
    """Count one request of `who` (an IP, a token); None when allowed, else whole seconds until it would be."""
    count, left = await shared.count_request(digest(who), limit.window_seconds)
    return None if count <= limit.requests else max(math.ceil(left), 1)


def _parse(raw: dict[str, str]) -> ApiToken | None:
    try:
        return ApiToken(
            id=raw["id"],
            guild_id=int(raw["guild_id"]),
            role=raw["role"],
            name=raw["name"],
            created_by=raw["created_by"],
            created_at=int(raw["created_at"]),
            last_used_at=int(raw.get("last_used_at") or 0),
        )
    except (KeyError, ValueError):
        return None
