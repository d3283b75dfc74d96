"""`darkscan analyze` (being built; see the issue tracker)."""

from __future__ import annotations

from darkscan.cli.app import app
from darkscan.errors import UsageError


@app.command("analyze")
def analyze_command() -> int:
    """Not built yet."""
    raise UsageError("darkscan analyze is not built yet")
