"""Run-time configuration admins change from Discord, stored in `{p}:config` over the environment's defaults."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engagement import validation
from engagement.errors import InvalidInput
from engagement.settings import Settings
from engagement.store import Store
from rules.farming import DEFAULTS as FARMING_DEFAULTS
from rules.farming import SETTINGS as FARMING_SETTINGS

log = logging.getLogger(__name__)

MAX_CATEGORIES = 25  # Discord offers at most 25 choices
MAX_LIMIT = 1000
MAX_ADMIN_ROLES = 25
DEFAULT_ALERT_POINTS_MULTIPLE = 5.0
_CHANNEL = re.compile(r"[a-z0-9_-]{1,100}")
_CATEGORY = re.compile(r"[a-z0-9_-]{1,32}")


def _channel(value: str) -> str:
    name = value.strip().removeprefix("#").lower()
    if not _CHANNEL.fullmatch(name):
        raise InvalidInput(f"submission channel must be a channel name (a-z, 0-9, '-', '_'), got {value[:40]!r}")
    return name


def _categories(value: str) -> str:
    names = list(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    if not names or len(names) > MAX_CATEGORIES:
        raise InvalidInput(f"categories must list 1 to {MAX_CATEGORIES} names, comma-separated")
    for name in names:
        if not _CATEGORY.fullmatch(name):
            raise InvalidInput(f"category {name[:40]!r} must be 1-32 letters, digits, '-' or '_'")
    return ",".join(names)


def _limit(value: str) -> str:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_LIMIT:
        raise InvalidInput(f"a daily limit must be a whole number from 0 to {MAX_LIMIT}, got {value[:20]!r}")
    return str(int(text))


def _role_ids(what: str) -> Callable[[str], str]:
    """The check of a list of role ids (`what` names them): ids, not names, as a name can be copied by anyone
    allowed to create roles."""

    def check(value: str) -> str:
        parts = [part for part in value.replace(",", " ").split() if part]
        if not parts or len(parts) > MAX_ADMIN_ROLES:
            raise InvalidInput(
                f"{what} roles must be 1 to {MAX_ADMIN_ROLES} role ids; pick the role in the role option"
            )
        try:
            ids = [validation.numeric_id(part, f"{what} role id") for part in parts]
        except InvalidInput:
            raise InvalidInput(f"{what} roles are given by id, not by name: pick the role in the role option") from None
        return ",".join(dict.fromkeys(ids))

    return check


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(","))


def _multiple(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not 1.0 < number <= 1000.0:
        raise InvalidInput(f"the alert multiple must be a number above 1 and at most 1000, got {value[:20]!r}")
    return f"{number:g}"


def _zone(value: str) -> str:
    try:
        return validation.time_zone(value)
    except InvalidInput:
        raise InvalidInput(
            f"The time zone must be an IANA name such as Europe/Berlin or UTC, not {value[:40]!r}."
        ) from None


# name -> (check returning the stored text, conversion of the stored text to the setting's value)
CONFIG_FIELDS: Mapping[str, tuple[Callable[[str], str], Callable[[str], Any]]] = {
    "submission_channel": (_channel, str),
    "categories": (_categories, lambda text: tuple(text.split(","))),
    "daily_limit_tier1": (_limit, int),
    "daily_limit_tier2": (_limit, int),
    "daily_limit_tier3": (_limit, int),
    "admin_role_ids": (_role_ids("admin"), _ids),
    "core_role_ids": (_role_ids("core"), _ids),  # the web panel's core role (tweets, batches, tiers)
    "alert_channel": (_channel, str),  # each community's alerts go to its own server's channel
    "alert_points_multiple": (_multiple, float),
    "report_channel": (_channel, str),  # the weekly report's channel
    "time_zone": (_zone, str),  # the weekly report's Monday 09:00, and best posting times in local time
    # The anti-farming rules (rules/farming.py), each off (0 or false) by default; the batch reads them itself.
    **{name: (check, str) for name, check in FARMING_SETTINGS.items()},
}
SETTINGS_FIELDS = frozenset(CONFIG_FIELDS) - {"alert_points_multiple", *FARMING_SETTINGS}
ROLE_SETTINGS = ("admin_role_ids", "core_role_ids")  # picked in a role option, stored by id
CHANNEL_SETTINGS = (
    "submission_channel",
    "alert_channel",
    "report_channel",
)  # picked in a channel option, stored by name


@dataclass(frozen=True)
class ConfigEntry:
    name: str
    value: str
    overridden: bool
    """Set by an admin (else the environment's value)."""


def config_name(value: object) -> str:
    name = str(value).strip().lower().replace("-", "_") if isinstance(value, str) else ""
    if name not in CONFIG_FIELDS:
        raise InvalidInput(f"config name must be one of {', '.join(CONFIG_FIELDS)}, got {str(value)[:40]!r}")
    return name


def config_change(
    setting: object, value: str | None, role: tuple[int, bool] | None, channel: str | None, reset: bool
) -> tuple[str | None, str | None]:
    """(setting, value) of `/admin config`'s options: roles come from the role option (`role` is its id and whether
    it is @everyone; alone it is for admin_role_ids), channels from the channel option (its name, as the bot looks
    channels up by name), never from typed text; a setting alone gives (setting, None)."""
    if sum(given is not None for given in (value, role, channel)) + reset > 1:
        raise InvalidInput("Give either a role, a channel, a value or reset:True, not several.")
    name = config_name(setting) if setting is not None else None
    if channel is not None:
        if name not in CHANNEL_SETTINGS:
            raise InvalidInput(f"The `channel` option only goes with the settings {', '.join(CHANNEL_SETTINGS)}.")
        return name, channel
    if role is not None:
        name = name or ROLE_SETTINGS[0]
        if name not in ROLE_SETTINGS:
            raise InvalidInput(f"The `role` option only goes with the settings {' and '.join(ROLE_SETTINGS)}.")
        role_id, everyone = role
        if everyone:
            raise InvalidInput("@everyone cannot be the admin role: every member has it.")
        return name, str(role_id)
    if value is not None and name in ROLE_SETTINGS:
        what = name.removesuffix("_role_ids")
        raise InvalidInput(f"Pick the {what} role in the `role` option to set {name} (names are not used).")
    if value is not None and name in CHANNEL_SETTINGS:
        raise InvalidInput(
            f"Pick the channel in the `channel` option to set {name} (a typed name may name no channel)."
        )
    return name, value


def check_config(name: object, value: object) -> tuple[str, str]:
    """(name, canonical stored text) of one setting, or `InvalidInput`."""
    field = config_name(name)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InvalidInput(f"{field} needs a value")
    return field, CONFIG_FIELDS[field][0](str(value))


async def stored_config(store: Store) -> dict[str, Any]:
    """Valid admin-set values, converted; a value edited by hand into something invalid is logged and skipped."""
    values: dict[str, Any] = {}
    for name, raw in (await store.config_values()).items():
        if name not in CONFIG_FIELDS:
            continue
        check, convert = CONFIG_FIELDS[name]
        try:
            values[name] = convert(check(raw))
        except InvalidInput as error:
            log.warning("ignoring run-time config %s: %s", name, error)
    return values


async def effective_settings(settings: Settings, store: Store) -> Settings:
    """`settings` with the admins' run-time values applied (what the bot should use for each command)."""
    values = await stored_config(store)
    return settings.model_copy(update={name: value for name, value in values.items() if name in SETTINGS_FIELDS})


async def alert_points_multiple(store: Store) -> float:
    value = (await stored_config(store)).get("alert_points_multiple", DEFAULT_ALERT_POINTS_MULTIPLE)
    return float(value)


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(str(part) for part in value)
    return "" if value is None else str(value)


async def show_config(settings: Settings, store: Store) -> list[ConfigEntry]:
    stored = await stored_config(store)
    defaults: dict[str, Any] = {name: getattr(settings, name) for name in SETTINGS_FIELDS}
    defaults["alert_points_multiple"] = DEFAULT_ALERT_POINTS_MULTIPLE
    defaults.update(FARMING_DEFAULTS)
    return [ConfigEntry(name, _shown(stored.get(name, defaults[name])), name in stored) for name in CONFIG_FIELDS]


async def show_setting(settings: Settings, store: Store, name: object) -> ConfigEntry:
    """One setting's current value (the admin's, else the environment's)."""
    field = config_name(name)
    return next(entry for entry in await show_config(settings, store) if entry.name == field)


async def set_config(store: Store, actor_id: str, name: object, value: object) -> tuple[str, str]:
    """Validate and store one setting; returns (old stored value or '', new). Audited."""
    actor = validation.discord_id(actor_id)
    field, text = check_config(name, value)
    old = await store.set_config_value(actor, field, text)
    log.info("admin %s set config %s from %r to %r", actor, field, old, text)
    return old, text


async def reset_config(store: Store, actor_id: str, name: object) -> str:
    """Back to the environment's value; returns the removed admin value ('' if none). Audited."""
    actor = validation.discord_id(actor_id)
    field = config_name(name)
    old = await store.set_config_value(actor, field, "")
    log.info("admin %s reset config %s (was %r)", actor, field, old)
    return old
