"""The worker's heartbeat: when it last said it runs, so admins can tell a stopped worker from an idle one."""

from __future__ import annotations

from redis.exceptions import ResponseError

from engagement.store._base import StoreBase, text


class HeartbeatMixin(StoreBase):
    async def record_heartbeat(self, at: float, ttl_seconds: int) -> None:
        """The worker is running at `at` (epoch seconds); the key expires `ttl_seconds` later."""
        await self.redis.set(self.keys.worker_heartbeat(), int(at), ex=ttl_seconds)

    async def heartbeat_at(self) -> float | None:
        """When the worker last wrote its heartbeat; None when it never did, it expired, or it is unreadable."""
        try:
            value = text(await self.redis.get(self.keys.worker_heartbeat()))
        except ResponseError as error:  # WRONGTYPE: damaged, which says as much as no heartbeat
            if not str(error).startswith("WRONGTYPE"):
                raise
            return None
        return float(value) if value and value.isdigit() else None
