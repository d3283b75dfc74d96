"""Which phone a device crawl drives: one attached to the node the task runs on.

A node advertises how many phones it has as a Ray resource (``ray start --resources
'{"android": 3}'``); Ray sends at most that many device crawls to it at once. Inside a task the
phone is picked from this node's own list - ``DARKSCAN_SERIALS`` (comma-separated, set when the
node is started) or else every phone ``adb devices`` shows as ready on this node - and claimed
with a lock file in this node's temp folder, so two crawls on one node never share a phone and
a crawl never drives a phone of another node.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from darkscan.errors import DeviceError


def node_serials() -> list[str]:
    env = os.environ.get("DARKSCAN_SERIALS", "").strip()
    if env:
        return [s.strip() for s in env.split(",") if s.strip()]
    from darkscan.device.adb import DeviceState, list_phones

    return [p.serial for p in list_phones() if p.state is DeviceState.DEVICE]


@contextmanager
def claim_phone(lock_dir: Path | None = None) -> Iterator[str]:
    """Hold a free phone of this node for the duration of the block; yields its serial."""
    folder = lock_dir or Path(tempfile.gettempdir())
    serials = node_serials()
    for serial in serials:
        safe = "".join(c if c.isalnum() else "_" for c in serial)
        f = open(folder / f"darkscan-phone-{safe}.lock", "w")  # noqa: SIM115 - held open
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            continue
        try:
            yield serial
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
            f.close()
        return
    raise DeviceError(f"no free phone on this node (phones: {', '.join(serials) or 'none'})")
