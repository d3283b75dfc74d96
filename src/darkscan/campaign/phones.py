"""Which phone a device crawl drives: one attached to the node the task runs on.

A node advertises how many phones it has as a Ray resource (``ray start --resources
'{"android": 3}'``); Ray sends at most that many device crawls to it at once. Inside a task the
phone is picked from this node's own list - the phones ``adb devices`` shows ready on this node,
only those named in ``DARKSCAN_SERIALS`` (comma-separated, set when the node is started) if
that is set - and claimed with a lock file in this node's temp folder, so two crawls on one
node never share a phone and a crawl never drives a phone of another node.

A phone may be missing for a while (unplugged, rebooting) or all of this node's phones busy
(Ray counts the resource, not which phone is there): the task then waits for one, polling
``adb devices``, up to ``DARKSCAN_PHONE_WAIT`` seconds (default 600) before it fails - a failure
Ray retries like any device error.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from darkscan.errors import DeviceError

POLL_SECONDS = 1.0


def phone_wait() -> float:
    """Seconds a crawl waits for a free phone of its node (``DARKSCAN_PHONE_WAIT``)."""
    try:
        return max(0.0, float(os.environ.get("DARKSCAN_PHONE_WAIT", "600")))
    except ValueError:
        return 600.0


def node_serials() -> list[str]:
    """This node's phones that ``adb devices`` shows ready (of ``DARKSCAN_SERIALS`` if set)."""
    from darkscan.device.adb import DeviceState, list_phones

    ready = [p.serial for p in list_phones() if p.state is DeviceState.DEVICE]
    env = os.environ.get("DARKSCAN_SERIALS", "").strip()
    if env:
        own = [s.strip() for s in env.split(",") if s.strip()]
        return [s for s in own if s in ready]
    return ready


def _try_lock(folder: Path, serial: str) -> IO[str] | None:
    safe = "".join(c if c.isalnum() else "_" for c in serial)
    f = open(folder / f"darkscan-phone-{safe}.lock", "w")  # noqa: SIM115 - held open
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        return None
    return f


@contextmanager
def claim_phone(lock_dir: Path | None = None, wait: float | None = None) -> Iterator[str]:
    """Hold a free phone of this node for the duration of the block; yields its serial.
    Waits up to ``wait`` seconds (default :func:`phone_wait`) for one to be free."""
    folder = lock_dir or Path(tempfile.gettempdir())
    end = time.monotonic() + (phone_wait() if wait is None else wait)
    while True:
        serials = node_serials()
        for serial in serials:
            f = _try_lock(folder, serial)
            if f is None:
                continue
            try:
                yield serial
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
                f.close()
            return
        if time.monotonic() >= end:
            raise DeviceError(f"no free phone on this node "
                              f"(phones: {', '.join(serials) or 'none'})")
        time.sleep(POLL_SECONDS)
