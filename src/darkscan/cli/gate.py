"""`darkscan gate` (being built; see the issue tracker)."""

from __future__ import annotations

from darkscan.cli.app import app
from darkscan.errors import UsageError


@app.command("gate")
def gate_command() -> int:
    """Not built yet."""
    raise UsageError("darkscan gate is not built yet")
