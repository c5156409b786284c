"""The members' Threads tokens: the same vault as X's (`MemberTokens`: encrypted, refreshed ahead of expiry under a
lock, needs_reauth with one notice when refused), keyed `threadstoken:<Threads user id>`.

Threads has no refresh token: a long-lived access token (about 60 days) is itself exchanged for a new one
(`th_refresh_token`, allowed once it is a day old), so the vault stores it in both slots of the pair. An
expired one cannot be refreshed: the member connects again (they are told once).
"""

from __future__ import annotations

from engagement.settings import Settings
from engagement.store import Store
from engagement.threads.oauth import ThreadsOAuthClient, ThreadsOAuthRefused, ThreadsOAuthUnavailable
from engagement.x_oauth import TokenCipher, TokenGrant, XOAuthRefused, XOAuthUnavailable
from engagement.x_oauth._tokens import MemberTokens, TokenPlatform

REAUTH_NOTICE = (
    "Threads no longer accepts your connection (it lasts about 60 days), so replies to your Threads posts are "
    "not counted for now. Run /connect platform:threads in the server to connect it again."
)
REFRESH_AHEAD_SECONDS = 7 * 86_400  # of a ~60-day token; Meta refreshes only tokens at least a day old
THREADS_TOKENS = TokenPlatform("Threads", "threads:", REFRESH_AHEAD_SECONDS, REAUTH_NOTICE)


class ThreadsRefresher:
    """Threads' OAuth client in the shape the vault uses (its errors as the vault's)."""

    def __init__(self, oauth: ThreadsOAuthClient) -> None:
        self.oauth = oauth

    async def refresh(self, refresh_token: str, now: float) -> TokenGrant:
        try:
            grant = await self.oauth.refresh(refresh_token, now)
        except ThreadsOAuthRefused as error:
            raise XOAuthRefused(str(error)) from None
        except ThreadsOAuthUnavailable as error:
            raise XOAuthUnavailable(str(error)) from None
        return TokenGrant(grant.access_token, grant.access_token, grant.expires_at, "")

    async def revoke(self, token: str) -> None:
        """Threads has no endpoint to revoke a token: deleting it here is what ends its use."""

    async def aclose(self) -> None:
        await self.oauth.aclose()


class ThreadsTokens(MemberTokens):
    """The members' Threads tokens, keyed by Threads user id."""

    platform = THREADS_TOKENS

    @classmethod
    def from_settings(cls, shared: Store, settings: Settings) -> ThreadsTokens:
        refresher = ThreadsRefresher(ThreadsOAuthClient(settings)) if settings.threads_app_id else None
        return cls(shared, TokenCipher.from_settings(settings), refresher, shared.now)

    async def save_grant(self, discord_id: str, threads_user_id: str, access_token: str, expires_at: float) -> None:
        await self.save(discord_id, threads_user_id, TokenGrant(access_token, access_token, expires_at, ""))
