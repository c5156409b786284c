"""The batch worker's core: scan recent submissions on X, award engagements exactly once.

`run_batch` is the whole job (fetch -> score -> store); `worker/` only schedules it.
"""

from engagement.batch._record import COMPLETED, FAILED, PARTIAL, SKIPPED, BatchOutcome, BatchTally
from engagement.batch._run import LOCK_TTL_MS, run_batch

__all__ = ["COMPLETED", "FAILED", "LOCK_TTL_MS", "PARTIAL", "SKIPPED", "BatchOutcome", "BatchTally", "run_batch"]
