"""`darkscan report` (being built; see the issue tracker)."""

from __future__ import annotations

from darkscan.cli.app import app
from darkscan.errors import UsageError


@app.command("report")
def report_command() -> int:
    """Not built yet."""
    raise UsageError("darkscan report is not built yet")
