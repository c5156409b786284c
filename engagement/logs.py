"""One logging setup for every entry point, and the filter that keeps every token and secret out of the logs.

The filter runs when a record is created (through the log record factory), so handlers
added later (by a library, a test harness, a log shipper) get clean records too, and on
the root handlers, for records made without the factory (logging.makeLogRecord, e.g. a
socket or queue listener). discord.py logs interaction webhook URLs, which carry a token
that lets anyone post as the bot for 15 minutes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from engagement.settings import Settings

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 4  # shorter "secrets" would blank out ordinary words
NOISY_LOGGERS = ("discord.http", "discord.gateway", "apscheduler.scheduler", "apscheduler.executors.default")

# (pattern, replacement) for tokens whatever their value: no list of secrets can know an interaction's token.
TOKEN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Interaction webhooks and callbacks: /webhooks/{application}/{token}, /interactions/{id}/{token}/callback
    (re.compile(r"(/(?:webhooks|interactions)/\d+/)[^/\s?#'\"]+"), rf"\g<1>{REDACTED}"),
    # A password in a URL: redis://user:password@host
    (re.compile(r"(\w+://[^:/@\s]*:)[^@/\s]+@"), rf"\g<1>{REDACTED}@"),
    # Authorization header values
    (re.compile(r"\b(Bearer|Bot|Basic)\s+[A-Za-z0-9._~+/=-]{16,}"), rf"\g<1> {REDACTED}"),
    # "token": "...", 'access_token': '...', token=..., password=... in payloads, reprs and query strings
    (
        re.compile(r"""(?i)(\b\w*(?:token|password|secret)['"]?\s*[:=]\s*['"]?)[^'"\s,&}]+"""),
        rf"\g<1>{REDACTED}",
    ),
)


class SecretFilter(logging.Filter):
    """Rewrites a record's message and traceback with every token pattern and configured secret replaced."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):  # a longer secret may contain a shorter one
            text = text.replace(secret, REDACTED)
        for pattern, replacement in TOKEN_PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: logging reports it when the record is emitted
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)  # formatters print this instead of re-rendering
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


SECRETS = SecretFilter()
_plain_factory = logging.getLogRecordFactory()


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _plain_factory(*args, **kwargs)
    SECRETS.filter(record)
    return record


def secrets_in(settings: Settings) -> list[str]:
    """Every secret value in the settings: the tokens and keys, and a password inside REDIS_URL."""
    found = [
        value.get_secret_value()
        for value in (getattr(settings, name) for name in type(settings).model_fields)
        if hasattr(value, "get_secret_value")
    ]
    if settings.redis_url:
        found.append(urlsplit(settings.redis_url).password or "")
    found += [part.strip() for value in found if "," in value for part in value.split(",")]  # each key of a list
    return found


def add_secrets(secrets: Iterable[str]) -> None:
    """Redact these exact values from every log record from now on (e.g. a token read at run time)."""
    SECRETS.secrets.update(secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH)


def install_secret_filter() -> None:
    """Every record created from now on is redacted (idempotent)."""
    if logging.getLogRecordFactory() is not _redacting_factory:
        logging.setLogRecordFactory(_redacting_factory)


def configure_logging(level: str = "INFO", secrets: Iterable[str] = ()) -> None:
    install_secret_filter()
    add_secrets(secrets)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:  # also records not made by the factory (logging.makeLogRecord)
        if SECRETS not in handler.filters:
            handler.addFilter(SECRETS)
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
