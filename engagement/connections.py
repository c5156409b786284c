"""Linking a member to an X account with proof of ownership, unlinking, and tiers.

The proof is a one-time code (`ENG-XXXXXX`, valid 15 minutes) that the member
puts in their X bio or in a post. Only after the code is found on THAT account
is the link written, keyed on the numeric X user id (handles change). The
OAuth 2.0 PKCE route will write the same link with `verified_by=oauth`.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from engagement import validation
from engagement.errors import NotConnected, Refused
from engagement.models import Connection, VerifiedBy
from engagement.services import Services
from engagement.store._connections import VERIFICATION_TTL
from engagement.x.models import XUser
from engagement.x_oauth import XTokens
from rules.farming import farming_rules, link_refusal

log = logging.getLogger(__name__)

CODE_PREFIX = "ENG-"
# No 0/O or 1/I: the member copies the code by hand.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


@dataclass(frozen=True)
class PendingConnect:
    handle: str
    code: str
    valid_minutes: int


@dataclass(frozen=True)
class ConnectResult:
    handle: str
    x_user_id: str
    verified_by: VerifiedBy
    replaced_x_user_id: str | None


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


MAX_DISPLAY_NAME = 100


async def remember_display_name(services: Services, discord_id: str, name: str) -> None:
    """Keep the name the member connects or submits with, for the CSV export (the bot has no member list)."""
    shown = " ".join(str(name).split())[:MAX_DISPLAY_NAME]
    if shown:
        await services.store.remember_display_name(validation.discord_id(discord_id), shown)


async def start_connect(services: Services, discord_id: str, handle: str) -> PendingConnect | ConnectResult:
    """Issue a fresh code for `handle` (replacing any earlier one) and remember it for 15 minutes.

    A member who already proved that account (in this or another community the deployment serves)
    is linked at once, if the handle still names the same account on X.
    """
    member = validation.discord_id(discord_id)
    username = validation.handle(handle)
    proven = await _proven_before(services, member, username)
    if proven is not None:
        return proven
    code = new_code()
    await services.store.save_verification(member, code, username)
    return PendingConnect(handle=username, code=code, valid_minutes=VERIFICATION_TTL // 60)


async def verify_connect(services: Services, discord_id: str) -> ConnectResult:
    """Check the pending code on X and, only if found on that account, link it."""
    member = validation.discord_id(discord_id)
    pending = await services.store.get_verification(member)
    if not pending.get("code") or not pending.get("handle"):
        raise Refused("Your code has expired (codes last 15 minutes) or was never issued. Run /connect again.")
    code, handle = pending["code"], pending["handle"]
    user = await services.x.user_by_username(handle)
    if user is None:
        raise Refused(f"X has no account named @{handle}. Check the spelling and run /connect again.")
    verified_by = await _find_code(services, user, code)
    result = await link_verified(services, member, user, verified_by)
    await services.store.clear_verification(member)
    await services.communities.shared.record_proof(member, user.id, user.username, verified_by.value)
    return result


async def link_verified(services: Services, member: str, user: XUser, verified_by: VerifiedBy) -> ConnectResult:
    """Link a proven account, unless the community's anti-farming rules refuse it (then nothing is written)."""
    await _check_gate(services, user)
    connected_at = services.now().isoformat(timespec="seconds")
    replaced = await services.store.link_account(member, user.id, user.username, verified_by.value, connected_at)
    log.info("member %s linked X account %s (@%s) by %s", member, user.id, user.username, verified_by.value)
    return ConnectResult(user.username.lower(), user.id, verified_by, replaced if replaced != user.id else None)


async def _check_gate(services: Services, user: XUser) -> None:
    """`Refused` naming the rule and the account's figure when it is too young or has too few followers."""
    rules, _ = farming_rules(await services.store.farming_config())  # a bad stored value: that rule is off
    if not rules.gates_links:
        return
    if user.created_at is None:  # Sign in with X names the account only: read its age and followers
        looked_up = await services.x.user_by_username(user.username)
        if looked_up is None or looked_up.id != user.id:
            raise Refused(f"X did not show @{user.username}'s account just now, so it was not linked. Try again.")
        user = looked_up
    refusal = link_refusal(rules, user.username, user.created_at, user.followers_count, services.now())
    if refusal:
        log.info("member's link of X account %s refused by the anti-farming rules: %s", user.id, refusal)
        raise Refused(f"{refusal} Nothing was linked.")


async def _proven_before(services: Services, member: str, username: str) -> ConnectResult | None:
    """The link, made now, when this member proved this account before and the handle still names it."""
    proof = await services.communities.shared.proof_of(member, username)
    if proof is None:
        return None
    x_user_id, method = proof
    user = await services.x.user_by_username(username)
    if user is None or user.id != x_user_id or method not in {v.value for v in VerifiedBy}:
        return None  # the handle moved to another account (or the record is unreadable): prove it again
    return await link_verified(services, member, user, VerifiedBy(method))


async def _find_code(services: Services, user: XUser, code: str) -> VerifiedBy:
    if code in user.description.upper():
        return VerifiedBy.BIO
    since = services.now() - timedelta(seconds=VERIFICATION_TTL)
    post = await services.x.find_post_with_text(user.username, code, start_time=since)
    if post is not None and post.author_id == user.id and code in post.text.upper():
        return VerifiedBy.TWEET
    raise Refused(
        f"I could not find your code {code} in @{user.username}'s bio or recent posts. "
        "Add it exactly as shown, wait a few seconds, then press Verify again."
    )


async def disconnect(services: Services, discord_id: str) -> Connection:
    """Unlink the member's X account; points and tier stay with the member. A Sign in with X is revoked at X
    and its tokens deleted (the account's sign-in serves every community, so it ends for all)."""
    removed = await services.store.unlink_account(validation.discord_id(discord_id))
    if removed is None:
        raise NotConnected("You have no connected X account.")
    if removed.x_user_id:
        tokens = XTokens.from_settings(services.communities.shared, services.settings)
        try:
            await tokens.remove(removed.x_user_id)
        finally:
            await tokens.aclose()
    return removed


async def require_connection(
    services: Services, discord_id: str, *, own: bool = True, threads_counts: bool = False
) -> Connection:
    """The member's connection, or `NotConnected` worded for them (`own`) or for someone asking about them;
    `threads_counts`: a member linked on Threads only is connected too."""
    connection = await services.store.get_connection(validation.discord_id(discord_id))
    linked = connection is not None and (connection.connected or (threads_counts and bool(connection.threads_user_id)))
    if connection is None or not linked:
        if own:
            raise NotConnected("You have not connected an X account yet. Use /connect first.")
        raise NotConnected(f"<@{discord_id}> has not connected an X account.")
    return connection


async def change_tier(
    services: Services, actor_id: str, discord_id: str, level: object, *, member_is_bot: bool = False
) -> tuple[int, int]:
    """Set a connected member's tier (audited in the same step); returns (old, new)."""
    new = validation.tier(level)
    if member_is_bot:
        raise Refused("Bots cannot have a tier.")
    old = await services.store.set_tier(validation.discord_id(actor_id), validation.discord_id(discord_id), new)
    if old is None:
        raise NotConnected(f"<@{discord_id}> has not connected an X account, so they have no tier to set.")
    return old, new
