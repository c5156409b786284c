"""Several communities served by one worker: one app's X budget shared fairly, each post looked up once a cycle."""

from engagement.communities._cycle import run_cycle
from engagement.communities._directory import NOT_SERVED, Communities, CommunityNotServed
from engagement.communities._worker import CommunityBatches

__all__ = ["NOT_SERVED", "Communities", "CommunityBatches", "CommunityNotServed", "run_cycle"]
