"""`darkscan demo` (being built; see the issue tracker)."""

from __future__ import annotations

from darkscan.cli.app import app
from darkscan.errors import UsageError


@app.command("demo")
def demo_command() -> int:
    """Not built yet."""
    raise UsageError("darkscan demo is not built yet")
