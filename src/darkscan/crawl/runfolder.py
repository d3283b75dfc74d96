"""The crawler's side of the run folder: the writer lives in :mod:`darkscan.runfolder` (one
model for every producer and consumer); this module keeps the crawl's wall-time clock."""

from __future__ import annotations

import time

from darkscan.runfolder.files import now_iso, read_json, write_json
from darkscan.runfolder.writer import RunWriter

__all__ = ["RunWriter", "Timer", "now_iso", "read_json", "write_json"]


class Timer:
    """Wall time of this process plus what earlier (interrupted) runs already spent."""

    def __init__(self, before: float = 0.0) -> None:
        self.before = before
        self.t0 = time.monotonic()

    def elapsed(self) -> float:
        return self.before + (time.monotonic() - self.t0)
