"""`darkscan scan IMAGE...`: find dark patterns on screenshots (optionally with their XML)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from darkscan.cli.app import app, console, console_err
from darkscan.errors import UsageError


def _table(results) -> Table:  # type: ignore[no-untyped-def]
    t = Table(title="darkscan scan", show_lines=False)
    for col in ("image", "severity", "category", "rule", "where", "message"):
        t.add_column(col, overflow="fold")
    for r in results:
        if r.error is not None:
            t.add_row(Text(r.image), Text("error", style="red"), "", "", "", Text(r.error))
            continue
        if not r.findings:
            t.add_row(Text(r.image), Text("-", style="green"), "", "", "", "no findings")
        for f in r.findings:
            colour = {"high": "red", "medium": "yellow", "low": "cyan"}.get(f.severity.value, "")
            t.add_row(Text(r.image), Text(f.severity.value, style=colour),
                      Text(f.category.value), Text(f.rule),
                      ",".join(map(str, f.bbox.as_list())), Text(f.message))
    return t


@app.command("scan")
def scan_command(
    images: list[Path] = typer.Argument(..., metavar="IMAGE...",
                                        help="Screenshots (PNG/JPEG); gray and RGBA are converted."),
    xml: Path | None = typer.Option(None, "--xml", help="uiautomator XML of the (single) "
                                       "screenshot: adds hierarchy text, widget states, bounds."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON result instead of a table."),
    density: float | None = typer.Option(None, "--density", min=0.5, max=8.0,
                                            help="Pixels per dp (default: width / 360)."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1,
                                    help="Cores for many files: one single-threaded worker "
                                         "process each (default: DARKSCAN_JOBS or the number "
                                         "of cores); 1 = in this process, one thread."),
) -> int:
    """Analyse screenshots for dark patterns; a bad file is reported and the others still run.

    Exit code 0 when every file was analysed, 2 when some file could not be read.
    """
    from darkscan.analysis import scan_file, scan_files
    from darkscan.workers import use_jobs

    if xml is not None and len(images) != 1:
        raise UsageError("--xml describes one screen; give exactly one IMAGE with it")
    jobs = use_jobs(jobs)
    with console_err.status("reading screens…") as status:
        if xml is not None:
            results = [scan_file(images[0], xml=xml, density=density)]
        else:
            def progress(img: str, done: int, total: int) -> None:
                status.update(f"read {escape(img)} ({done}/{total})…")

            results = scan_files(images, density=density, jobs=jobs,
                                 progress=progress)
    if as_json:
        console.print(json.dumps({"screens": [r.to_dict() for r in results]},
                                 ensure_ascii=False, indent=1),
                      markup=False, highlight=False, soft_wrap=True)
    else:
        console.print(_table(results))
    for r in results:
        for w in r.warnings:
            console_err.print(f"darkscan: warning: {escape(r.image)}: {escape(w)}",
                              highlight=False)
        if r.error is not None:
            console_err.print(f"[bold red]darkscan: error:[/] {escape(r.error)}",
                              highlight=False)
    return 2 if any(r.error is not None for r in results) else 0
