"""Connect Threads: the member's Threads account proved by Meta's own sign-in (OAuth authorization code).

/connect platform:threads (Discord) asks for a link naming a pending sign-in (member, community), kept 10
minutes and good once, the same store as Sign in with X's. /oauth/threads/start sends the browser to
Threads' authorize page; /oauth/threads/callback exchanges the code for a short-lived token and that at once
for the long-lived one (about 60 days), reads the account from /me, links it and stores the token encrypted.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass

from engagement import validation
from engagement.errors import NotConnected, Refused
from engagement.platforms import THREADS
from engagement.services import Services
from engagement.threads.client import ThreadsClient
from engagement.threads.models import ThreadsAccount, ThreadsError
from engagement.threads.oauth import ThreadsOAuthClient
from engagement.threads.tokens import ThreadsTokens
from engagement.x_oauth.sign_in import OTHER_BROWSER, browser_binding, checked_state, parsed_pending, start_pending

log = logging.getLogger(__name__)

NOT_SET_UP = (
    "Connecting Threads is not set up on this server (it needs THREADS_APP_ID, THREADS_APP_SECRET, "
    "PUBLIC_BASE_URL and TOKEN_ENCRYPTION_KEYS)."
)


@dataclass(frozen=True)
class ThreadsSignIn:
    """What the web service's Threads routes need: the OAuth client, the API client and the token vault."""

    oauth: ThreadsOAuthClient
    client: ThreadsClient
    tokens: ThreadsTokens

    @classmethod
    def from_services(cls, services: Services) -> ThreadsSignIn | None:
        """None when connecting Threads is not configured."""
        settings = services.settings
        if not settings.threads_sign_in:
            return None
        tokens = ThreadsTokens.from_settings(services.communities.shared, settings)
        return cls(ThreadsOAuthClient(settings), ThreadsClient(settings), tokens)

    async def aclose(self) -> None:
        await self.oauth.aclose()
        await self.client.aclose()
        await self.tokens.aclose()


@dataclass(frozen=True)
class ThreadsConnected:
    username: str
    user_id: str
    replaced_user_id: str | None


async def threads_sign_in_link(services: Services, discord_id: str, guild_id: int | None) -> str:
    """A one-time link (10 minutes) that starts this member's Threads connection for that community."""
    if not services.settings.threads_sign_in:
        raise Refused(NOT_SET_UP)
    state = await start_pending(services, discord_id, guild_id, THREADS, "")
    return f"{services.settings.web_base_url}/oauth/threads/start?state={state}"


async def threads_authorize_url(services: Services, oauth: ThreadsOAuthClient, state: str) -> str:
    """Threads' authorize page for a pending sign-in (it stays pending until the callback)."""
    parsed_pending(await services.communities.shared.peek_x_sign_in(checked_state(state)), THREADS)
    return oauth.authorize_url(state)


async def finish_threads_sign_in(
    services: Services, sign_in: ThreadsSignIn, state: str, code: str, error: str = "", *, binding: str | None = None
) -> ThreadsConnected:
    """Threads' callback: the code exchanged once, the account linked and its long-lived token stored."""
    shared = services.communities.shared
    parsed_pending(await shared.peek_x_sign_in(checked_state(state)), THREADS)
    if binding is not None and not hmac.compare_digest(binding, browser_binding(state, THREADS)):
        raise Refused(OTHER_BROWSER)
    pending = parsed_pending(await shared.take_x_sign_in(state), THREADS)
    if error:
        raise Refused("The sign-in was cancelled at Threads, so nothing was changed. Run /connect to try again.")
    if not code:
        raise Refused("Threads sent no code back. Run /connect platform:threads to try again.")
    try:
        grant = await sign_in.oauth.exchange_code(code, services.clock())
        account = await sign_in.client.me(grant.access_token)
    except ThreadsError:  # refused or unreachable (ThreadsOAuthRefused and the client's errors alike)
        raise Refused(
            "Threads did not accept this sign-in (it may have taken too long). Run /connect platform:threads again."
        ) from None
    community = services.for_guild(pending.guild_id) if pending.guild_id is not None else services
    connected = await link_threads(community, pending.discord_id, account)
    await sign_in.tokens.save_grant(pending.discord_id, account.user_id, grant.access_token, grant.expires_at)
    return connected


async def link_threads(services: Services, discord_id: str, account: ThreadsAccount) -> ThreadsConnected:
    member = validation.discord_id(discord_id)
    at = services.now().isoformat(timespec="seconds")
    replaced = await services.store.link_threads_account(member, account.user_id, account.username, at)
    log.info("member %s linked Threads account %s (@%s)", member, account.user_id, account.username)
    return ThreadsConnected(
        account.username.lower(), account.user_id, replaced if replaced != account.user_id else None
    )


async def disconnect_threads(services: Services, discord_id: str) -> str:
    """Unlink the member's Threads account and delete its token; the username it had. Points and tier stay."""
    removed = await services.store.unlink_threads_account(validation.discord_id(discord_id))
    if removed is None:
        raise NotConnected("You have no connected Threads account.")
    user_id, username = removed
    tokens = ThreadsTokens.from_settings(services.communities.shared, services.settings)
    try:
        await tokens.remove(user_id)
    finally:
        await tokens.aclose()
    return username
