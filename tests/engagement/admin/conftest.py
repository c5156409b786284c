from __future__ import annotations

import pytest

from engagement.store import Store


@pytest.fixture(params=["fake", pytest.param("real", marks=pytest.mark.redis)])
def any_store(request: pytest.FixtureRequest) -> Store:
    """The same test on fakeredis and on a real server (the Lua scripts must behave the same on both)."""
    store: Store = request.getfixturevalue("store" if request.param == "fake" else "real_store")
    return store
