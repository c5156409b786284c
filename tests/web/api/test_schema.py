"""schemathesis against the app's own /api/openapi.json, in-process: every operation with generated parameters,
called through httpx's ASGI transport with an admin API token; no 500s, and every answer matches the schema."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import fakeredis
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from engagement import api_tokens
from engagement.api_tokens import RateLimit
from engagement.keys import Keys
from engagement.services import Services
from engagement.settings import load_settings
from engagement.store import Store
from tests.conftest import FakeClock
from tests.web.conftest import APP_ID, BASE, HOME, OTHER, SECRET, seed
from web.api.auth import LIMITS_STATE, Limits
from web.app import create_app

T = TypeVar("T")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 12  # per operation: a few seconds for all of them


@dataclass
class World:
    runner: asyncio.Runner
    client: httpx.AsyncClient
    token: str
    spec: dict[str, Any]

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(work)


async def _build() -> tuple[httpx.AsyncClient, str]:
    redis = fakeredis.FakeAsyncRedis(decode_responses=True)
    store = Store(redis, Keys("test"), clock=FakeClock())
    web_settings = load_settings(
        _env_file=None,
        discord_guild_id=HOME,
        allowed_guilds=str(OTHER),
        key_prefix="test",
        discord_application_id=APP_ID,
        discord_client_secret=SECRET,
        discord_api_base_url="http://127.0.0.1:9",  # never called: the token needs no Discord login
        public_base_url=BASE,
    )
    services = Services(settings=web_settings, store=store, x=None, clock=store.now)  # type: ignore[arg-type]
    await seed(store)
    app = create_app(services, web_settings)
    setattr(app.state, LIMITS_STATE, Limits(RateLimit(10_000, 60), RateLimit(10_000, 60)))
    token = await api_tokens.create_token(services.communities.shared, store, HOME, "100000000000000011", "st", "admin")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE), token


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """One loop for the app and every call (a sync test: hypothesis drives the cases)."""
    with asyncio.Runner() as runner:
        client, token = runner.run(_build())
        spec = runner.run(client.get("/api/openapi.json")).json()
        yield World(runner, client, token, spec)
        runner.run(client.aclose())


def operations() -> list[str]:
    """Every operation of the spec, one test each (read at collection, from the app this module builds)."""
    with asyncio.Runner() as runner:
        client, _ = runner.run(_build())
        try:
            spec = schemathesis.openapi.from_dict(runner.run(client.get("/api/openapi.json")).json())
        finally:
            runner.run(client.aclose())
    return [f"{op.method.upper()} {op.path}" for op in (result.ok() for result in spec.get_all_operations())]


@pytest.mark.parametrize("operation", operations())
def test_the_api_matches_its_own_schema(world: World, operation: str) -> None:
    method, path = operation.split(" ", 1)
    schema = schemathesis.openapi.from_dict(world.spec)
    endpoint = schema[path][method]
    headers = {"Authorization": f"Bearer {world.token}"}

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=endpoint.as_strategy())
    def check(case: schemathesis.Case) -> None:
        if "guild_id" in (case.path_parameters or {}):
            case.path_parameters["guild_id"] = HOME  # the token's community: reach the handlers, not only the guard
        sent = case.as_transport_kwargs(base_url=BASE, headers=headers)
        answer = world.run(
            world.client.request(
                sent["method"],
                sent["url"],
                params=sent.get("params"),
                headers=sent.get("headers"),
                content=sent.get("data"),
                json=sent.get("json"),
            )
        )
        case.validate_response(answer, checks=CHECKS)

    check()
