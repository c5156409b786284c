"""REST API v1 (a personal API token or the session cookie): the same operations as the pages, through the same
core calls; lists page by opaque cursors (`next_cursor`). One module per feature under web/api/routes/."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from web.api.auth import principal
from web.api.models import PROBLEMS
from web.api.routes import analytics, audit, batches, community, members, rules, seasons, settings, shop, tweets

# Every operation is counted (per IP, per token) and authenticated (with the CSRF check of a cookie write) first.
router = APIRouter(prefix="/api/v1", dependencies=[Depends(principal)], responses=PROBLEMS)
for feature in (community, tweets, rules, batches, members, audit, settings, analytics, seasons, shop):
    router.include_router(feature.router)
