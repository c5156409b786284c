"""`/admin setup`: is the community set up so that the bot works? One check per thing, each with what to fix.

The bot says what Discord told it (whether a channel of that name exists, the bot's permissions there, as
booleans); this module judges, asks X one cheap question with the bearer token (and Threads one with the app's
id and secret, when it is set up), and reads the worker's heartbeat.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from engagement.errors import EngagementError
from engagement.heartbeat import worker_state
from engagement.services import XLookups
from engagement.settings import Settings
from engagement.store import Store
from engagement.threads import ThreadsAccess, ThreadsAuthError, ThreadsError
from engagement.x.errors import RateLimited, XAuthError

log = logging.getLogger(__name__)

KNOWN_ACCOUNT = "XDevelopers"  # any handle will do: an answer, even "no such user", proves the token works


@dataclass(frozen=True)
class ChannelAccess:
    """What Discord says about the channel a setting names, from the bot's side."""

    name: str
    found: bool
    """A text channel of that name exists in the server (and the bot can see it in its channel list)."""
    known: bool = True
    """Discord told the bot its permissions there (False: its own member was not in the cache)."""
    view: bool = False
    send: bool = False
    embed: bool = False


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    """What is fine, or what to fix."""
    last_seen: float | None = None
    """For the worker check: when its heartbeat was last written (epoch seconds)."""


def channel_check(what: str, setting: str, access: ChannelAccess) -> Check:
    """The bot must see the channel, send messages there and embed links (the announcements are embeds)."""
    name = f"{what} #{access.name}"
    pick = f"pick another with `/admin config setting:{setting}`"
    if not access.found:
        return Check(
            name, False, f"no text channel of that name exists (or the bot cannot see it): create it, or {pick}."
        )
    if not access.known:
        return Check(name, False, "the bot could not read its own permissions there: run the check again in a minute.")
    missing = [
        permission
        for permission, granted in (
            ("View Channel", access.view),
            ("Send Messages", access.send),
            ("Embed Links", access.embed),
        )
        if not granted
    ]
    if missing:
        needed = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
        return Check(name, False, f"the bot lacks {needed} there: allow its role {needed} in that channel, or {pick}.")
    return Check(name, True, "the bot can post and embed links there.")


async def x_token_check(x: XLookups) -> Check:
    name = "X bearer token"
    try:
        await x.user_by_username(KNOWN_ACCOUNT)
    except XAuthError:
        return Check(
            name,
            False,
            "the bearer token is refused: set a working TWITTER_BEARER_TOKEN and restart the bot and worker.",
        )
    except RateLimited:
        return Check(name, True, "X accepts it (its lookup limit is spent for now; batches wait for the window).")
    except EngagementError as error:  # X down, or an answer we could not read: the token is not known to be bad
        log.warning("setup check: X did not answer: %s", error)
        return Check(name, False, "X did not answer the check: try again in a few minutes.")
    return Check(name, True, "X accepts it.")


async def threads_check(settings: Settings, threads: ThreadsAccess | None) -> Check:
    """Threads is optional: when THREADS_APP_ID is set, one app-token request proves the app id and secret."""
    name = "Threads app"
    if threads is None:
        return Check(
            name, True, "not set up (optional): set THREADS_APP_ID and THREADS_APP_SECRET to track Threads posts."
        )
    try:
        await threads.client.app_check()
    except ThreadsAuthError:
        return Check(name, False, "Threads refuses THREADS_APP_ID / THREADS_APP_SECRET: check them and restart.")
    except ThreadsError as error:
        log.warning("setup check: Threads did not answer: %s", error)
        return Check(name, False, "Threads did not answer the check: try again in a few minutes.")
    if not settings.threads_sign_in:
        return Check(
            name, False, "the app is accepted, but members cannot connect Threads: set PUBLIC_BASE_URL and "
            "TOKEN_ENCRYPTION_KEYS (and run the web service).",
        )  # fmt: skip
    return Check(name, True, "Threads accepts the app; members connect with /connect platform:threads.")


async def worker_check(store: Store) -> Check:
    state = await worker_state(store)
    if state.alive:
        return Check("Worker", True, "running.", state.last_seen)
    return Check("Worker", False, "not running: start it (`python -m worker`) and keep it running.", state.last_seen)


def optional_channel_check(label: str, setting: str, what: str, access: ChannelAccess | None) -> Check:
    """A channel that may be left unset (what goes there waits in Redis until one is named)."""
    if access is None:
        return Check(label, True, f"not set (optional): {what} wait in Redis until `/admin config setting:{setting}` "
                     "names one.")  # fmt: skip
    return channel_check(label, setting, access)


async def setup_checks(
    store: Store, x: XLookups, submissions: ChannelAccess, alerts: ChannelAccess | None,
    reports: ChannelAccess | None = None, threads: tuple[Settings, ThreadsAccess | None] | None = None,
) -> list[Check]:  # fmt: skip
    """Every check, in the order shown; `alerts` and `reports` None when that channel is not set (optional)."""
    checks = [channel_check("Submissions channel", "submission_channel", submissions)]
    checks.append(optional_channel_check("Alert channel", "alert_channel", "alerts", alerts))
    checks.append(optional_channel_check("Report channel", "report_channel", "weekly reports", reports))
    checks.append(await x_token_check(x))
    if threads is not None:
        checks.append(await threads_check(*threads))
    checks.append(await worker_check(store))
    return checks


@dataclass(frozen=True)
class RoleAccess:
    """A reward role as the bot sees it: found in the server, and below the bot's own highest role."""

    role_id: str
    found: bool
    below_bot: bool


def role_rewards_check(roles: list[RoleAccess], manage_roles: bool | None) -> Check | None:
    """None without reward roles; else whether the bot can give them (Manage Roles, each role below its own)."""
    if not roles:
        return None
    problems = []
    if manage_roles is False:
        problems.append("the bot needs the Manage Roles permission")
    if manage_roles is None:
        problems.append("the bot could not read its own permissions: run the check again in a minute")
    problems += [f"<@&{r.role_id}> no longer exists: remove it with `/roles remove`" for r in roles if not r.found]
    problems += [
        f"<@&{r.role_id}> is above the bot's highest role: move the bot's role above it"
        for r in roles
        if r.found and not r.below_bot
    ]
    if problems:
        return Check("Reward roles", False, "; ".join(problems) + ".")
    return Check("Reward roles", True, f"the bot can give all {len(roles)} of them.")
