"""Several communities served by one worker: one app's X budget shared fairly, each post looked up once a cycle."""

from engagement.communities._cycle import run_cycle

__all__ = ["run_cycle"]
