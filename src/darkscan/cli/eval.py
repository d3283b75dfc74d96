"""`darkscan eval` (being built; see the issue tracker)."""

from __future__ import annotations

from darkscan.cli.app import app
from darkscan.errors import UsageError


@app.command("eval")
def eval_command() -> int:
    """Not built yet."""
    raise UsageError("darkscan eval is not built yet")
