"""`darkscan scan` (being built; see the issue tracker)."""

from __future__ import annotations

from darkscan.cli.app import app
from darkscan.errors import UsageError


@app.command("scan")
def scan_command() -> int:
    """Not built yet."""
    raise UsageError("darkscan scan is not built yet")
