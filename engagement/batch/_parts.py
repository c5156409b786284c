"""What the readers of one batch's scan share."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.batch._awarding import Awarder
from engagement.batch._calls import Requests
from engagement.batch._record import BatchTally
from engagement.batch._writes import ScanWrites
from engagement.store import Store
from engagement.x import XClient


@dataclass(frozen=True)
class ScanParts:
    """The store, X, the awarder, the request gate, the tally and the pipelined writes of one batch."""

    store: Store
    x: XClient
    awarder: Awarder
    requests: Requests
    tally: BatchTally
    writes: ScanWrites
