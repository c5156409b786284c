"""At most one alert an hour, for the conditions that must be posted directly because Redis cannot queue them."""

from __future__ import annotations

from collections.abc import Callable

ALERT_INTERVAL = 3600


class HourlyGate:
    """Remembers in memory (Redis is down or full) when it last let an alert through."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._last_open_at: float | None = None

    def open(self) -> bool:
        """True, and remembered, unless it was open less than ALERT_INTERVAL ago."""
        now = self._clock()
        if self._last_open_at is not None and now - self._last_open_at < ALERT_INTERVAL:
            return False
        self._last_open_at = now
        return True
