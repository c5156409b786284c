"""Sign in with X: the member's link proved by X itself (OAuth 2.0 authorization code with PKCE).

/connect (Discord) or the panel asks for a sign-in link; it names a pending sign-in (member, community, PKCE
verifier) kept 10 minutes in Redis and good once. /oauth/x/start sends the browser to X's authorize page with
that state; X sends it back to /oauth/x/callback with a code, which is exchanged at once (X allows about 30 s).
The X account from /2/users/me is linked with `verified_by=oauth` under the same rules as a code in the bio.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass

from engagement import validation
from engagement.connections import ConnectResult, link_verified
from engagement.errors import Refused
from engagement.models import VerifiedBy
from engagement.services import Services
from engagement.x.models import XUser
from engagement.x_oauth._client import XOAuthClient, XOAuthRefused, XOAuthUnavailable, new_verifier
from engagement.x_oauth._tokens import XTokens

log = logging.getLogger(__name__)

STATE_TTL_SECONDS = 600
NOT_SET_UP = (
    "Sign in with X is not set up on this server (it needs X_OAUTH_CLIENT_ID, PUBLIC_BASE_URL and "
    "TOKEN_ENCRYPTION_KEYS). Use /connect with your handle to prove your account with a code instead."
)
OTHER_BROWSER = (
    "This sign-in was started in another browser or by someone else, so nothing was changed. "
    "Run /connect and open its link in this browser."
)
EXPIRED = "This sign-in link has expired (links last 10 minutes) or was already used. Run /connect again."


@dataclass(frozen=True)
class XSignIn:
    """What the web service's sign-in routes need: the OAuth client and the token vault (one of each)."""

    oauth: XOAuthClient
    tokens: XTokens

    @classmethod
    def from_services(cls, services: Services) -> XSignIn | None:
        """None when Sign in with X is not configured."""
        if not services.settings.x_sign_in:
            return None
        oauth = XOAuthClient(services.settings)
        tokens = XTokens.from_settings(services.communities.shared, services.settings)
        return cls(oauth, tokens)

    async def aclose(self) -> None:
        await self.oauth.aclose()
        await self.tokens.aclose()


@dataclass(frozen=True)
class PendingSignIn:
    discord_id: str
    guild_id: int | None
    verifier: str
    platform: str = "x"  # the platform the sign-in was started for (a Threads state is no good at X's callback)


async def sign_in_link(services: Services, discord_id: str, guild_id: int | None) -> str:
    """A one-time link (10 minutes) that starts this member's Sign in with X for that community."""
    if not services.settings.x_sign_in:
        raise Refused(NOT_SET_UP)
    state = await start_pending(services, discord_id, guild_id, "x", new_verifier())
    return f"{services.settings.web_base_url}/oauth/x/start?state={state}"


async def start_pending(services: Services, discord_id: str, guild_id: int | None, platform: str, verifier: str) -> str:
    """A new pending sign-in's state (kept 10 minutes, good once), for any platform."""
    member = validation.discord_id(discord_id)
    if guild_id is not None:
        services.store_for(guild_id)  # a guild not served is refused here, before anything is written
    state = secrets.token_urlsafe(32)
    payload = {"discord_id": member, "guild_id": guild_id, "verifier": verifier, "platform": platform}
    await services.communities.shared.save_x_sign_in(state, json.dumps(payload), STATE_TTL_SECONDS)
    return state


def parsed_pending(raw: str | None, platform: str = "x") -> PendingSignIn:
    """A pending sign-in of `platform`; `Refused` (expired) when there is none or it is another platform's."""
    if raw is None:
        raise Refused(EXPIRED)
    fields = json.loads(raw)
    pending = PendingSignIn(
        str(fields["discord_id"]), fields.get("guild_id"), str(fields["verifier"]), str(fields.get("platform", "x"))
    )
    if pending.platform != platform:
        raise Refused(EXPIRED)
    return pending


async def authorize_url(services: Services, oauth: XOAuthClient, state: str) -> str:
    """X's authorize page for a pending sign-in (the state stays pending until the callback)."""
    pending = parsed_pending(await services.communities.shared.peek_x_sign_in(checked_state(state)))
    return oauth.authorize_url(state, pending.verifier)


def checked_state(value: str) -> str:
    if not (16 <= len(value) <= 128) or not all(c.isalnum() or c in "-_" for c in value):
        raise Refused(EXPIRED)
    return value


def browser_binding(state: str, platform: str = "x") -> str:
    """What /oauth/<platform>/start leaves in the browser (a cookie) so that only the browser that started a
    sign-in can finish it: a callback carrying someone else's state (login CSRF) is refused."""
    return hashlib.sha256(f"{platform}-sign-in:{state}".encode()).hexdigest()


async def finish_sign_in(
    services: Services,
    oauth: XOAuthClient,
    tokens: XTokens,
    state: str,
    code: str,
    error: str = "",
    *,
    binding: str | None = None,
) -> ConnectResult:
    """X's callback: the code exchanged once, the account linked (verified_by=oauth) and its tokens stored.
    `binding`: the browser's cookie from /oauth/x/start (None skips the check: a caller with no browser)."""
    shared = services.communities.shared
    parsed_pending(
        await shared.peek_x_sign_in(checked_state(state))
    )  # used or expired: say so (the cookie is gone after use)
    if binding is not None and not hmac.compare_digest(binding, browser_binding(state)):
        raise Refused(OTHER_BROWSER)
    pending = parsed_pending(await shared.take_x_sign_in(state))
    if error:
        raise Refused("The sign-in was cancelled at X, so nothing was changed. Run /connect to try again.")
    if not code:
        raise Refused("X sent no code back. Run /connect to try again.")
    try:
        grant = await oauth.exchange_code(code, pending.verifier, services.clock())
        x_user_id, username = await oauth.me(grant.access_token)
    except XOAuthRefused:
        raise Refused("X did not accept this sign-in (it may have taken too long). Run /connect again.") from None
    community = services.for_guild(pending.guild_id) if pending.guild_id is not None else services
    try:
        result = await link_verified(community, pending.discord_id, XUser(x_user_id, username), VerifiedBy.OAUTH)
    except Refused:
        with contextlib.suppress(XOAuthRefused, XOAuthUnavailable):
            await oauth.revoke(grant.refresh_token)  # not linked: keep nothing of that account
        raise
    await tokens.save(pending.discord_id, x_user_id, grant)
    await services.communities.shared.record_proof(pending.discord_id, x_user_id, username, VerifiedBy.OAUTH.value)
    return result
