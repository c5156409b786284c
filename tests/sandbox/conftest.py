"""Raw HTTP access to the fake X, to check what it sends without going through the adapter."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from sandbox.fake_x import FakeX


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


Get = Callable[..., Awaitable[Answer]]


@pytest.fixture
async def x_get(fake_x: FakeX) -> AsyncIterator[Get]:
    """`await x_get(path, token=None, **params)`: the fake's answer; the app token unless told otherwise."""
    async with aiohttp.ClientSession() as session:

        async def get(path: str, token: str | None = None, **params: str) -> Answer:
            headers = {"Authorization": f"Bearer {token or fake_x.bearer_token}"}
            async with session.get(fake_x.base_url + path, params=params, headers=headers) as response:
                text = await response.text()
                try:
                    body = json.loads(text)
                except ValueError:
                    body = text
                return Answer(response.status, dict(response.headers), body)

        yield get
