"""The platforms a community's posts live on, and how their ids share the keyspace.

A post and an account are named by a *ref*: on X the bare numeric id (as every key was before Threads), on
another platform `<platform>:<id>` (`threads:17890000000000001`, `threads:alice`). The exactly-once award guard
is built from the post's and the engager's refs, so it includes the platform: the same number on two
platforms never names the same post, and a member paid on X is paid again for their own reply on Threads.
"""

from __future__ import annotations

from engagement.platforms._refs import (
    PLATFORMS,
    THREADS,
    X,
    account_ref,
    native_id,
    platform_of,
    platform_title,
    post_ref,
    seen_word,
)

__all__ = [
    "PLATFORMS",
    "THREADS",
    "X",
    "account_ref",
    "native_id",
    "platform_of",
    "platform_title",
    "post_ref",
    "seen_word",
]
