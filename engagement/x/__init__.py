"""The X API adapter: typed results, rate-limit book-keeping, request counting."""

from engagement.x._paging import ListRead
from engagement.x._query import pack_queries
from engagement.x._ratelimit import budget_key
from engagement.x.client import ENDPOINTS, RateLimits, XClient
from engagement.x.errors import PagingStopped, RateLimited, XAuthError, XError, XUnavailable
from engagement.x.models import SearchResult, Tweet, TweetLookup, TweetMetrics, XUsage, XUser

__all__ = [
    "ENDPOINTS",
    "ListRead",
    "PagingStopped",
    "RateLimited",
    "RateLimits",
    "SearchResult",
    "Tweet",
    "TweetLookup",
    "TweetMetrics",
    "XAuthError",
    "XClient",
    "XError",
    "XUnavailable",
    "XUsage",
    "XUser",
    "budget_key",
    "pack_queries",
]
