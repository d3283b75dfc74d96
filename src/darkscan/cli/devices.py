"""`darkscan devices` (being built; see the issue tracker)."""

from __future__ import annotations

from darkscan.cli.app import app
from darkscan.errors import UsageError


@app.command("devices")
def devices_command() -> int:
    """Not built yet."""
    raise UsageError("darkscan devices is not built yet")
