"""`darkscan report RUN`: the static HTML report (opens from disk, no network)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from rich.text import Text

from darkscan.cli.app import app, console
from darkscan.report.gate import evaluate, thresholds_for
from darkscan.report.html import write_report
from darkscan.report.i18n import normalise_lang
from darkscan.report.load import load_run


def make_report(run_dir: Path, lang: str, out: Path | None = None,
                flow: Path | None = None) -> Path:
    """Write the report; the gate table is included once the crawl wrote metrics.json."""
    lang = normalise_lang(lang)
    with console.status("writing the report…"):
        run = load_run(run_dir)
        gate = evaluate(run, thresholds_for(run, flow)) if run.metrics is not None else None
        return write_report(run, lang=lang, gate=gate, out=out)


@app.command("report")
def report_command(
    run_dir: Path = typer.Argument(..., metavar="RUN", help="Run folder (from crawl/analyze)."),
    lang: str = typer.Option("en", "--lang", help="UI language of the report: en or zh "
                             "(Simplified Chinese). App texts are shown as they are."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder to write (default RUN/report)."),
    flow: Optional[Path] = typer.Option(None, "--flow", help="Flow file for the gate table's "
                                        "thresholds (default: the flow in RUN/run.json)."),
) -> int:
    """Write a static HTML report of a run to RUN/report/index.html."""
    index = make_report(run_dir, lang, out, flow)
    console.print(Text(f"report: {index}"), highlight=False)
    return 0
