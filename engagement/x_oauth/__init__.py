"""Sign in with X: the members' OAuth 2.0 tokens (encrypted, refreshed, revoked) and the client for X's OAuth
endpoints. The sign-in flow itself is `engagement.x_oauth.sign_in` (it needs the services; this does not)."""

from engagement.x_oauth._cipher import TokenCipher, new_key
from engagement.x_oauth._client import SCOPES, TokenGrant, XOAuthClient, XOAuthRefused, XOAuthUnavailable
from engagement.x_oauth._tokens import (
    NEEDS_REAUTH,
    OK,
    REAUTH_NOTICE,
    REFRESH_AHEAD_SECONDS,
    MemberNotice,
    XTokens,
    shared_beside,
)

__all__ = [
    "NEEDS_REAUTH",
    "OK",
    "REAUTH_NOTICE",
    "REFRESH_AHEAD_SECONDS",
    "SCOPES",
    "MemberNotice",
    "TokenCipher",
    "TokenGrant",
    "XOAuthClient",
    "XOAuthRefused",
    "XOAuthUnavailable",
    "XTokens",
    "new_key",
    "shared_beside",
]
