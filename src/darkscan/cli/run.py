"""`darkscan run` (being built; see the issue tracker)."""

from __future__ import annotations

from darkscan.cli.app import app
from darkscan.errors import UsageError


@app.command("run")
def run_command() -> int:
    """Not built yet."""
    raise UsageError("darkscan run is not built yet")
