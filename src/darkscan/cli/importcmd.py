"""`darkscan import TOOL DIR --out RUN`: another tool's crawl as a darkscan run folder."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.text import Text

from darkscan.cli.app import app, console, console_err


@app.command("import")
def import_command(
    tool: str = typer.Argument(..., metavar="TOOL", help="Format of the crawl: droidbot."),
    source: Path = typer.Argument(..., metavar="DIR", help="The tool's output folder."),
    out: Path = typer.Option(..., "--out", help="Run folder to write (new or empty)."),
) -> int:
    """Import a crawl made by another tool (DroidBot) as a run folder for analyze, report and
    gate.

    Problems with single files of the crawl are warnings; the rest is imported."""
    from darkscan.importers import import_crawl

    with console_err.status(f"importing {escape(str(source))}…"):
        r = import_crawl(tool, source, out)
    for w in r.warnings:
        console_err.print(f"[yellow]warning:[/] {escape(str(w))}", highlight=False, markup=True)
    found = ", ".join(r.goals_found) or "none"
    console.print(Text(f"{r.screens} screens ({r.app_screens} of the app), {r.steps} steps, "
                       f"goals found: {found}, {len(r.warnings)} warnings -> {r.out}"),
                  highlight=False)
    return 0
