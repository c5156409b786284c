"""Typed settings from the environment and `.env`; one clear line on a bad value."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from engagement import validation
from engagement.errors import SettingsError
from engagement.validation import key_prefix, token_cipher_keys

# X's recent search covers 7 days; the adapter keeps 15 minutes of them for clock skew (SEARCH_WINDOW).
MAX_WINDOW_HOURS = 167
DEFAULT_CATEGORIES = ("general", "announcement", "thread", "meme", "art")
RETIRED_ADMIN_ROLE = (
    "ADMIN_ROLE (a role name) is no longer accepted, since anyone with Manage Roles can create a role "
    "with that name; set ADMIN_ROLE_IDS to the role's id instead (comma-separated for several)"
)


class Settings(BaseSettings):
    """Every knob of the bot and the worker. Variable names are the field names upper-cased."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    # Discord
    discord_bot_token: SecretStr | None = None
    discord_application_id: int | None = Field(default=None, gt=0)
    discord_guild_id: int | None = Field(default=None, gt=0)
    allowed_guilds: Annotated[tuple[int, ...], NoDecode] = ()  # empty: only DISCORD_GUILD_ID
    admin_role_ids: Annotated[tuple[int, ...], NoDecode] = ()
    core_role_ids: Annotated[tuple[int, ...], NoDecode] = ()  # the panel's `core` role: tweets, batches, tiers
    admin_role: str | None = None  # retired (a name anyone with Manage Roles can copy); refused when set
    submission_channel: str = Field(default="engagement-tracker", min_length=1, max_length=100)
    categories: Annotated[tuple[str, ...], NoDecode] = DEFAULT_CATEGORIES
    alert_channel: str | None = None
    report_channel: str | None = None  # the weekly report's channel (it waits in Redis until one is set)
    time_zone: str = "UTC"  # IANA name: when the weekly report is posted, and best times in local time

    # X
    twitter_api_key: SecretStr | None = None
    twitter_api_secret: SecretStr | None = None
    twitter_access_token: SecretStr | None = None
    twitter_access_secret: SecretStr | None = None
    twitter_bearer_token: SecretStr | None = None
    x_api_base_url: str = Field(default="https://api.x.com", pattern=r"^https?://[^\s/]+(:\d+)?/?$")
    x_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Sign in with X (OAuth 2.0 with PKCE): the app's client id (and secret for a confidential client).
    x_oauth_client_id: str | None = Field(default=None, min_length=1)
    x_oauth_client_secret: SecretStr | None = None
    x_authorize_url: str = Field(default="https://x.com/i/oauth2/authorize", pattern=r"^https?://[^\s]+[^/\s]$")
    # Threads (Meta's Graph API): the app's id and secret for "Connect Threads" (OAuth), and where the API is.
    threads_app_id: str | None = Field(default=None, min_length=1)
    threads_app_secret: SecretStr | None = None
    threads_api_base_url: str = Field(default="https://graph.threads.net", pattern=r"^https?://[^\s/]+(:\d+)?/?$")
    threads_authorize_url: str = Field(
        default="https://threads.net/oauth/authorize", pattern=r"^https?://[^\s]+[^/\s]$"
    )
    # Fernet keys (comma-separated; the first encrypts, all decrypt) for the members' X tokens at rest.
    token_encryption_keys: SecretStr | None = None

    # Redis
    redis_url: str | None = Field(default=None, pattern=r"^(redis|rediss|unix)://")
    # REDIS_URL names one node of a Redis/Valkey Cluster; keys get a hash tag (`engagement.keys.hash_tagged`).
    redis_cluster: bool = False
    key_prefix: str = "engagement"
    data_dir: Path = Path("data")
    reports_archive: Path | None = None  # one JSON object per line; DATA_DIR/reports.jsonl when unset

    # Worker
    batch_interval_min: int = Field(default=30, ge=1, le=1440)
    batch_interval_max: int = Field(default=60, ge=1, le=1440)
    batch_window_hours: int = Field(default=24, ge=1)
    batch_max_read_gap_minutes: int = Field(default=120, ge=0, le=1440)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)

    # Submissions
    daily_limit_tier1: int = Field(default=3, ge=0, le=1000)
    daily_limit_tier2: int = Field(default=5, ge=0, le=1000)
    daily_limit_tier3: int = Field(default=10, ge=0, le=1000)

    # Web panel (`web/`): Discord login needs the application's client secret.
    web_host: str = Field(default="127.0.0.1", min_length=1)
    web_port: int = Field(default=8080, ge=1, le=65535)
    demo_panel_minutes: int = Field(default=0, ge=0, le=24 * 60)  # the offline demo keeps its panel open this long
    public_base_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(:\d+)?/?$")
    discord_client_secret: SecretStr | None = None
    discord_api_base_url: str = Field(default="https://discord.com/api", pattern=r"^https?://[^\s]+[^/\s]$")

    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")

    @field_validator("token_encryption_keys")
    @classmethod
    def _check_token_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            token_cipher_keys(value.get_secret_value())  # one clear line at start, not at the first sign-in
        return value

    @field_validator("time_zone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        return validation.time_zone(value)

    @field_validator("key_prefix")
    @classmethod
    def _check_prefix(cls, value: str) -> str:
        return key_prefix(value)

    @field_validator("batch_window_hours")
    @classmethod
    def _check_window(cls, value: int) -> int:
        if value > MAX_WINDOW_HOURS:
            raise ValueError(
                f"must be at most {MAX_WINDOW_HOURS}: X's recent search reaches back 7 days by X's clock, "
                "less a margin for a worker clock that runs behind"
            )
        return value

    @field_validator("admin_role_ids", "core_role_ids", "allowed_guilds", mode="before")
    @classmethod
    def _split_role_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        return tuple(value)

    @field_validator("admin_role_ids", "core_role_ids", "allowed_guilds")
    @classmethod
    def _check_role_ids(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(role_id <= 0 for role_id in value):
            raise ValueError("must be Discord ids (positive numbers), comma-separated")
        return tuple(dict.fromkeys(value))

    @field_validator("admin_role")
    @classmethod
    def _refuse_role_name(cls, value: str | None) -> None:
        if value and value.strip():
            raise ValueError(RETIRED_ADMIN_ROLE)
        return None

    @field_validator("categories", mode="before")
    @classmethod
    def _split_categories(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        if not value:
            raise ValueError("must list at least one category, comma-separated")
        return tuple(value)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def report_archive_path(self) -> Path:
        return self.reports_archive or self.data_dir / "reports.jsonl"

    @model_validator(mode="after")
    def _check_interval(self) -> Settings:
        if self.batch_interval_min > self.batch_interval_max:
            raise ValueError("BATCH_INTERVAL_MIN must not exceed BATCH_INTERVAL_MAX")
        return self

    @model_validator(mode="after")
    def _check_cluster(self) -> Settings:
        # The embedded server is a single one, and a cluster is reached over TCP only.
        if self.redis_cluster and (self.redis_url is None or self.redis_url.startswith("unix://")):
            raise ValueError("REDIS_CLUSTER=1 needs REDIS_URL set to a redis:// or rediss:// node of the cluster")
        return self

    @property
    def web_base_url(self) -> str:
        """Where the panel is reached (links, OAuth redirects): PUBLIC_BASE_URL, else the local address."""
        return (self.public_base_url or f"http://{self.web_host}:{self.web_port}").rstrip("/")

    @property
    def x_sign_in(self) -> bool:
        """Whether "Sign in with X" is offered: a client id, a public base URL and keys to encrypt tokens."""
        return bool(self.x_oauth_client_id and self.public_base_url and self.token_encryption_keys)

    @property
    def threads_sign_in(self) -> bool:
        """Whether "Connect Threads" is offered: the app's id and secret, a public base URL, keys for tokens."""
        return bool(
            self.threads_app_id and self.threads_app_secret and self.public_base_url and self.token_encryption_keys
        )

    def daily_limit(self, tier: int) -> int:
        return {1: self.daily_limit_tier1, 2: self.daily_limit_tier2, 3: self.daily_limit_tier3}[tier]


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    names = [str(part) for part in first.get("loc", ()) if isinstance(part, str)]
    name = names[0].upper() if names else "settings"
    message = first["msg"].removeprefix("Value error, ")
    if not names:
        return f"invalid setting: {message}"
    shown = str(first.get("input", ""))[:40]
    return f"invalid setting {name}={shown!r}: {message}"


def load_settings(**overrides: Any) -> Settings:
    """Read settings; raise `SettingsError` with one line naming the bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None
