"""`darkscan crawl` (being built; see the issue tracker)."""

from __future__ import annotations

from darkscan.cli.app import app
from darkscan.errors import UsageError


@app.command("crawl")
def crawl_command() -> int:
    """Not built yet."""
    raise UsageError("darkscan crawl is not built yet")
