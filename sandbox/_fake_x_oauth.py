"""The fake X's OAuth 2.0 (Sign in with X), as X_API.md describes it: PKCE (S256) codes single use for 30 s,
access tokens for 2 h, rotating refresh tokens only with `offline.access`, revocation, errors in X's OAuth
shape; a bad authorize request gets an error page, never a redirect. Times come from the fake's clock."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web

from sandbox._fake_x_world import Json, World

SCOPES = ("tweet.read", "users.read", "like.read", "offline.access")
CODE_SECONDS = 30
ACCESS_SECONDS = 7200
AUTHORIZE_PATH = "/i/oauth2/authorize"
_FIELDS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method")
_BAD_CODE = "Value passed for the authorization code was invalid."
_BAD_VERIFIER = "Value passed for the code verifier did not match the code challenge."
_BAD_TOKEN = "Value passed for the token was invalid."


class AuthorizeError(ValueError):
    """An authorize request answered with a 400 page naming what is wrong."""


class TokenError(Exception):  # a refused token or revoke request
    def __init__(self, description: str, status: int = 400, error: str = "invalid_request") -> None:
        super().__init__(description, status, error)
        self.status = status
        self.body: Json = {"error": error, "error_description": description}


def _no_client() -> TokenError:
    return TokenError("Missing valid authorization header", 401, "unauthorized_client")


@dataclass(frozen=True)
class Client:
    client_id: str
    redirect_uri: str
    secret: str | None  # None: a public client (no client authentication)


@dataclass(frozen=True)
class Authorization:
    """A validated authorize request; once approved, what its code stands for (who, until when)."""

    client: Client
    scopes: tuple[str, ...]
    state: str
    challenge: str
    user_id: str = ""
    expires_at: float = 0.0


@dataclass
class Grant:
    """One member's consent to one client; its tokens live and die together."""

    client_id: str
    user_id: str
    scopes: tuple[str, ...]
    refresh_token: str | None
    access: dict[str, float] = field(default_factory=dict)  # access token -> expiry (epoch seconds)


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def _redirect(uri: str, params: dict[str, str]) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(params)


def _html(title: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body>{body}</body></html>\n"
    )


def error_page(message: str) -> web.Response:
    body = f"<h1>Something went wrong</h1><p>{escape(message)}</p>"
    return web.Response(status=400, text=_html("X / Error", body), content_type="text/html")


def approve_page(params: Mapping[str, str], authorization: Authorization) -> str:
    hidden = "".join(f'<input type="hidden" name="{name}" value="{escape(params.get(name, ""))}">' for name in _FIELDS)
    scopes = "".join(f"<li>{escape(scope)}</li>" for scope in authorization.scopes)
    body = (
        f"<h1>{escape(authorization.client.client_id)} wants to access your X account</h1>"
        f"<p>It will be able to:</p><ul>{scopes}</ul>"
        f'<form method="post" action="{AUTHORIZE_PATH}">'
        '<label for="username">Your X username</label> '
        '<input id="username" name="username" autocomplete="username" required>'
        f'{hidden}<button type="submit" name="action" value="authorize">Authorize app</button> '
        '<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button></form>'
    )
    return _html("Authorize app / X", body)


class OAuthServer:
    """X's OAuth 2.0 side. Access tokens it issues are entered into `user_tokens` (token -> user id)."""

    def __init__(self, world: World, user_tokens: dict[str, str]) -> None:
        self._world = world
        self._user_tokens = user_tokens
        self.requests: Counter[str] = Counter()  # token requests by grant type, plus "revoke"
        self._clients: dict[str, Client] = {}
        self._codes: dict[str, Authorization] = {}
        self._refresh: dict[str, Grant] = {}  # the current refresh token of each live grant
        self._access: dict[str, Grant] = {}  # every access token ever issued -> its grant
        self._grants: list[Grant] = []

    def _now(self) -> float:
        return self._world.now().timestamp()

    def register_client(self, client_id: str, redirect_uri: str, *, secret: str | None = None) -> None:
        if not client_id or client_id in self._clients:
            raise ValueError(f"client id {client_id!r} is empty or taken")
        if urlsplit(redirect_uri).scheme not in ("http", "https"):
            raise ValueError(f"redirect_uri {redirect_uri!r} is not an http(s) URL")
        self._clients[client_id] = Client(client_id, redirect_uri, secret)

    # authorize

    def authorization(self, params: Mapping[str, str]) -> Authorization:
        """The authorize request `params` make, or AuthorizeError saying what is wrong."""
        client = self._clients.get(params.get("client_id", ""))
        if client is None:
            raise AuthorizeError("Unknown client_id: this app is not registered with X.")
        requested = params.get("scope", "").split()
        unknown = " ".join(scope for scope in requested if scope not in SCOPES)
        for failed, message in (  # in this order: never redirect to a URI the app did not register
            (params.get("redirect_uri") != client.redirect_uri, "redirect_uri does not match the registered one."),
            (params.get("response_type") != "code", "response_type must be code."),
            (not requested, "Missing scope."),
            (bool(unknown), f"Unsupported scope: {unknown}."),
            (not params.get("state"), "Missing state."),
            (not params.get("code_challenge"), "Missing code_challenge."),
            (params.get("code_challenge_method") != "S256", "code_challenge_method must be S256."),
        ):
            if failed:
                raise AuthorizeError(message)
        return Authorization(client, tuple(dict.fromkeys(requested)), params["state"], params["code_challenge"])

    def approve(self, params: Mapping[str, str], username: str) -> str:
        """The member `username` authorizes the app: the callback URL with a fresh code."""
        authorization = self.authorization(params)
        user = self._world.user_named(username.strip().removeprefix("@"))
        if user is None:
            raise AuthorizeError(f"No X account is named @{username}.")
        code = secrets.token_urlsafe(48)
        self._codes[code] = replace(authorization, user_id=user.id, expires_at=self._now() + CODE_SECONDS)
        return _redirect(authorization.client.redirect_uri, {"state": authorization.state, "code": code})

    def approve_url(self, authorize_url: str, username: str) -> str:
        return self.approve(dict(parse_qsl(urlsplit(authorize_url).query, keep_blank_values=True)), username)

    # tokens

    def _client(self, form: Mapping[str, str], authorization: str) -> Client:
        """The client a token or revoke request authenticates as (HTTP Basic for a confidential one)."""
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() != "basic":
            client = self._clients.get(form.get("client_id", ""))
            if client is None or client.secret is not None:
                raise _no_client()
            return client
        try:
            client_id, _, secret = base64.b64decode(credentials, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise _no_client() from None
        client = self._clients.get(client_id)
        if client is None or client.secret is None or form.get("client_id", client_id) != client_id:
            raise _no_client()
        if not hmac.compare_digest(client.secret, secret):
            raise _no_client()
        return client

    def _issue(self, grant: Grant) -> Json:
        access = secrets.token_urlsafe(48)
        grant.access[access] = self._now() + ACCESS_SECONDS
        self._access[access] = grant
        self._user_tokens[access] = grant.user_id
        scope = " ".join(grant.scopes)
        body: Json = {"token_type": "bearer", "expires_in": ACCESS_SECONDS, "access_token": access, "scope": scope}
        if "offline.access" in grant.scopes:
            grant.refresh_token = secrets.token_urlsafe(48)
            self._refresh[grant.refresh_token] = grant
            body["refresh_token"] = grant.refresh_token
        return body

    def _exchange(self, client: Client, form: Mapping[str, str]) -> Json:
        for name in ("code", "redirect_uri", "code_verifier"):
            if not form.get(name):
                raise TokenError(f"Missing required parameter [{name}].")
        code = self._codes.get(form["code"])
        if code is None or code.client != client:
            raise TokenError(_BAD_CODE)
        del self._codes[form["code"]]  # single use, whatever comes of this attempt
        if self._now() >= code.expires_at or form["redirect_uri"] != client.redirect_uri:
            raise TokenError(_BAD_CODE)
        if not hmac.compare_digest(_challenge(form["code_verifier"]), code.challenge):
            raise TokenError(_BAD_VERIFIER)
        grant = Grant(client.client_id, code.user_id, code.scopes, None)
        self._grants.append(grant)
        return self._issue(grant)

    def _refreshed(self, client: Client, form: Mapping[str, str]) -> Json:
        if not form.get("refresh_token"):
            raise TokenError("Missing required parameter [refresh_token].")
        grant = self._refresh.get(form["refresh_token"])
        if grant is None or grant.client_id != client.client_id:
            raise TokenError(_BAD_TOKEN)
        del self._refresh[form["refresh_token"]]  # rotation: the old one is refused from now on
        return self._issue(grant)

    def token(self, form: Mapping[str, str], authorization: str) -> Json:
        """POST /2/oauth2/token; TokenError for a refusal. No await inside: two requests cannot interleave."""
        grant_type = form.get("grant_type", "")
        self.requests[grant_type or "missing"] += 1
        client = self._client(form, authorization)
        if grant_type == "authorization_code":
            return self._exchange(client, form)
        if grant_type == "refresh_token":
            return self._refreshed(client, form)
        if not grant_type:
            raise TokenError("Missing required parameter [grant_type].")
        raise TokenError("Value passed for the grant type was invalid.", 400, "unsupported_grant_type")

    def revoke(self, form: Mapping[str, str], authorization: str) -> Json:
        """POST /2/oauth2/revoke: either token of a grant ends the whole grant; an unknown token is no error."""
        self.requests["revoke"] += 1
        client = self._client(form, authorization)
        token = form.get("token", "")
        if not token:
            raise TokenError("Missing required parameter [token].")
        grant = self._refresh.get(token) or self._access.get(token)
        if grant is not None and grant.client_id == client.client_id:
            self._end(grant)
        return {"revoked": True}

    def _end(self, grant: Grant) -> None:
        if grant.refresh_token is not None:
            self._refresh.pop(grant.refresh_token, None)
        for access in grant.access:
            self._user_tokens.pop(access, None)

    # what the API side and tests ask

    def expired(self, token: str) -> bool:
        """True for an access token this server issued that is past its expiry."""
        grant = self._access.get(token)
        return grant is not None and self._now() >= grant.access[token]

    def expire_user(self, user_id: str) -> None:
        now = self._now()
        for grant in self._grants:
            if grant.user_id == user_id:
                grant.access = {token: min(expiry, now) for token, expiry in grant.access.items()}

    def end_grants(self, user_id: str) -> None:
        for grant in self._grants:
            if grant.user_id == user_id:
                self._end(grant)

    # HTTP

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(AUTHORIZE_PATH, self._authorize_page)
        app.router.add_post(AUTHORIZE_PATH, self._authorize_form)
        app.router.add_post("/2/oauth2/token", _json_endpoint(self.token))
        app.router.add_post("/2/oauth2/revoke", _json_endpoint(self.revoke))

    async def _authorize_page(self, request: web.Request) -> web.Response:
        try:
            authorization = self.authorization(request.query)
        except AuthorizeError as error:
            return error_page(str(error))
        return web.Response(text=approve_page(request.query, authorization), content_type="text/html")

    async def _authorize_form(self, request: web.Request) -> web.Response:
        form = await _form(request)
        try:
            if form.get("action") == "cancel":
                denied = self.authorization(form)
                location = _redirect(denied.client.redirect_uri, {"error": "access_denied", "state": denied.state})
            elif form.get("action") == "authorize":
                location = self.approve(form, form.get("username", ""))
            else:
                raise AuthorizeError("Choose Authorize app or Cancel.")
        except AuthorizeError as error:
            return error_page(str(error))
        return web.Response(status=302, headers={"Location": location})


async def _form(request: web.Request) -> dict[str, str]:
    return {name: value for name, value in (await request.post()).items() if isinstance(value, str)}


def _json_endpoint(
    answer: Callable[[Mapping[str, str], str], Json],
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """A form-encoded POST answered with JSON: `answer(form, Authorization header)` or its TokenError."""

    async def endpoint(request: web.Request) -> web.Response:
        form = await _form(request)
        try:
            body, status = answer(form, request.headers.get("Authorization", "")), 200
        except TokenError as error:
            body, status = error.body, error.status
        return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})

    return endpoint
