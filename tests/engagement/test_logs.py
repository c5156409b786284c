"""The secret filter: token patterns and configured secrets redacted in every handler, other text left alone."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from engagement.logs import NOISY_LOGGERS, SECRETS, add_secrets, configure_logging, install_secret_filter, secrets_in
from engagement.settings import load_settings


@pytest.fixture
def late_handler() -> Iterator[io.StringIO]:
    """A handler added after the filter was installed, as a library or a log shipper might."""
    factory, known = logging.getLogRecordFactory(), set(SECRETS.secrets)
    install_secret_filter()
    SECRETS.secrets = set()  # other tests' entry points registered theirs (e.g. a bot token "token")
    add_secrets(["s3cr3t-value"])
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("engagement.test_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield out
    logger.removeHandler(handler)
    logging.setLogRecordFactory(factory)
    SECRETS.secrets = known


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        (
            "POST http://h/api/v10/webhooks/110/aW50ZXJhY3Rpb246MTM has returned 200",
            "POST http://h/api/v10/webhooks/110/[redacted] has returned 200",
        ),
        ("POST /api/v10/interactions/13/tok.en-1/callback", "POST /api/v10/interactions/13/[redacted]/callback"),
        ("redis://default:hunter2@redis:6379/0", "redis://default:[redacted]@redis:6379/0"),
        ("Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAMLheAAAAA", "Authorization: Bearer [redacted]"),
        ("{'token': 'abc', 'id': '1'}", "{'token': '[redacted]', 'id': '1'}"),
        ('{"access_token": "abc"}', '{"access_token": "[redacted]"}'),
        ("GET /2/users?oauth_token=xyz&x=1", "GET /2/users?oauth_token=[redacted]&x=1"),
        ("the value s3cr3t-value went out", "the value [redacted] went out"),
        ("the batch lock token was renewed; 3 tokens left", "the batch lock token was renewed; 3 tokens left"),
    ],
)
def test_redacted_in_a_handler_added_later(late_handler: io.StringIO, message: str, shown: str) -> None:
    logging.getLogger("engagement.test_logs").debug("%s", message)
    assert late_handler.getvalue() == shown + "\n"


def test_tracebacks_are_redacted(late_handler: io.StringIO) -> None:
    try:
        raise RuntimeError("https://discord.com/api/v10/webhooks/1/secret-token-here failed with s3cr3t-value")
    except RuntimeError:
        logging.getLogger("engagement.test_logs").exception("call failed")
    text = late_handler.getvalue()
    assert "RuntimeError: https://discord.com/api/v10/webhooks/1/[redacted] failed with [redacted]" in text
    assert "secret-token-here" not in text
    assert "s3cr3t-value" not in text


def test_every_secret_setting_is_collected() -> None:
    settings = load_settings(
        _env_file=None,
        discord_bot_token="bot-token-1",
        twitter_bearer_token="bearer-2",
        twitter_api_key="key-3",
        twitter_api_secret="secret-4",
        twitter_access_token="access-5",
        twitter_access_secret="access-secret-6",
        redis_url="redis://:pass-7@redis:6379/0",
    )
    assert sorted(secrets_in(settings)) == sorted(
        ["bot-token-1", "bearer-2", "key-3", "secret-4", "access-5", "access-secret-6", "pass-7"]
    )


def test_root_handlers_redact_records_made_without_the_factory(late_handler: io.StringIO) -> None:
    """A record rebuilt from a dict (socket or queue listener) skips the factory: the root handlers redact it."""
    root = logging.getLogger()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root.addHandler(handler)
    levels = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    try:
        configure_logging("INFO")
        assert SECRETS in handler.filters
        handler.handle(logging.makeLogRecord({"msg": "POST /webhooks/1/raw-token-value and s3cr3t-value"}))
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    assert out.getvalue() == "POST /webhooks/1/[redacted] and [redacted]\n"
