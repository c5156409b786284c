"""The batch worker: scheduling only; the batch itself is engagement.batch."""
